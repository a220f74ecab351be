/**
 * Real activities over a real database and the real provider SDKs talking to an in-process
 * outbox: what activity-level tests run against (no Temporal server needed).
 */
import { randomBytes } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { memoryOutboxStore, type OutboxStore } from '../../channels/outbox/outbox-store';
import { createOutboxServer, type OutboxServer } from '../../channels/outbox/server';
import { loadConfig } from '../../config/load-config';
import type { RelanceConfig } from '../../config/schema';
import type { KindRegistry } from '../../kinds/kind';
import { ingestEvents } from '../../ingestion/ingest-events';
import { createChannels, outboxCredentials } from '../../runtime/channels';
import { createActivities, createActivityDeps } from '../../runtime/engine';
import { createLogger } from '../../runtime/logger';
import type { Db } from '../../store/db';
import { afterEach, beforeEach } from 'vitest';
import { createTestDb, type TestDb } from './db';

export interface TestEngine {
  activities: ReturnType<typeof createActivities>;
  outbox: OutboxStore;
  outboxServer: OutboxServer;
  outboxUrl: string;
  config: RelanceConfig;
  ingest(body: unknown, at: string): Promise<void>;
  /** Runs an activity as Temporal would schedule it at `at` (the activity's clock). */
  runAt<R>(at: string, fn: () => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

export async function createTestEngine(
  db: Db,
  config: RelanceConfig = loadConfig(),
  /** The sequence kinds, when a test registers its own (default: kinds/registry.ts's). */
  kinds?: KindRegistry,
): Promise<TestEngine> {
  const outbox = memoryOutboxStore();
  const twilioAuthToken = randomBytes(16).toString('hex'); // as an installation's, never a fixed one
  const outboxServer = createOutboxServer({
    store: outbox,
    ...outboxCredentials(twilioAuthToken),
    logger: false,
  });
  const outboxUrl = await outboxServer.listen(0, '127.0.0.1');
  const { channels } = createChannels({}, { url: outboxUrl, twilioAuthToken }, false);
  const logger = createLogger('silent');
  const activities = createActivities(
    createActivityDeps({
      db,
      config,
      channels,
      logger,
      signingSecret: 'test-secret-of-32-characters!!!',
      clock: 'temporal',
      ...(kinds ? { kinds } : {}),
    }),
  );
  return {
    activities,
    outbox,
    outboxServer,
    outboxUrl,
    config,
    ingest: async (body, at) => {
      await ingestEvents({ db, config }, body, at);
    },
    runAt: (at, fn) =>
      new MockActivityEnvironment({ currentAttemptScheduledTimestampMs: Date.parse(at) }).run(fn),
    close: () => outboxServer.close(),
  };
}

export const marie = {
  id: 'c1',
  firstName: 'Marie',
  lastName: 'Durand',
  email: 'marie@example.com',
  phone: '+33612345678',
  locale: 'fr-FR',
  timezone: 'Europe/Paris',
  country: 'FR',
};

/**
 * A fresh store and engine for each test of the calling `describe`, with `events` ingested at
 * `at`, closed after each test. Read `engine` and `db` inside the tests (they change per test).
 */
export function engineEachTest(
  events: unknown[],
  at: string,
): { readonly engine: TestEngine; readonly db: Db } {
  let testDb: TestDb | undefined;
  let engine: TestEngine | undefined;
  beforeEach(async () => {
    testDb = await createTestDb();
    engine = await createTestEngine(testDb.db);
    await engine.ingest(events, at);
  });
  afterEach(async () => {
    await engine?.close();
    await testDb?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('engineEachTest: read inside a test, not while declaring it');
    return value;
  };
  return {
    get engine() {
      return ready(engine);
    },
    get db() {
      return ready(testDb).db;
    },
  };
}
