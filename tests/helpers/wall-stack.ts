/**
 * The whole stack (`relance start` as a child process) on the wall clock, against its own Temporal
 * dev server and test outbox in a throw-away folder, windows open at any hour: what the end-to-end
 * tests that post events and read the outbox share. Call in a `describe`: the dev server and the
 * outbox start in `beforeAll`, everything stops in `afterAll`; each test starts the stack.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { OutboxStore } from '../../channels/outbox/outbox-store';
import type { OutboxServer } from '../../channels/outbox/server';
import { startDevServer, type DevServer } from './dev-server';
import { startStack, type StackProcess } from './stack-process';
import { startTestOutbox } from './test-outbox';
import { alwaysOpen } from './wall-events';

export interface WallStack {
  /** What the provider received. */
  readonly store: OutboxStore;
  /** Starts the stack (environment beside the defaults); `stop` happens after the tests. */
  start(env?: Record<string, string>): Promise<StackProcess>;
  /** The stack's output so far, for a failure's message. */
  output(): string;
}

export function useWallStack(prefix: string): WallStack {
  let temporal: DevServer | undefined;
  let outbox: OutboxServer | undefined;
  let outboxUrl = '';
  let store: OutboxStore | undefined;
  let dataDir = '';
  let stack: StackProcess | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `relance-${prefix}-`));
    temporal = await startDevServer(dataDir);
    ({ store, server: outbox, url: outboxUrl } = await startTestOutbox(join(dataDir, 'relance')));
  });

  afterAll(async () => {
    await stack?.stop();
    await outbox?.close();
    await temporal?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    get store() {
      if (!store) throw new Error('the outbox starts in beforeAll');
      return store;
    },
    async start(env = {}) {
      stack = await startStack({
        TEMPORAL_ADDRESS: temporal?.address ?? '',
        OUTBOX_URL: outboxUrl,
        RELANCE_DATA_DIR: join(dataDir, 'relance'),
        RELANCE_CLOCK: 'wall',
        RELANCE_CONFIG: alwaysOpen, // windows open at any hour, so the tests may run at night
        ...env,
      });
      return stack;
    },
    output: () => stack?.output() ?? '',
  };
}
