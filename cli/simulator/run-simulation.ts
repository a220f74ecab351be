/**
 * Runs a scenario on the real workflows and activities: an ephemeral time-skipping Temporal
 * server whose clock starts at the scenario's start, an in-memory PGlite store, and the real
 * SendGrid/Twilio SDKs talking to a local outbox. Sixty simulated days take seconds.
 */
import { randomBytes } from 'node:crypto';
import { DefaultLogger, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createOutboxServer } from '../../channels/outbox/server';
import { sqlOutboxStore } from '../../channels/outbox/outbox-store';
import { loadConfig } from '../../config/load-config';
import { RelanceError } from '../../domain/errors';
import { ingestEvents } from '../../ingestion/ingest-events';
import { createChannels, outboxCredentials } from '../../runtime/channels';
import {
  createActivities,
  createActivityDeps,
  createEngineDispatcher,
  createWorker,
} from '../../runtime/engine';
import { createLogger, installTemporalLogging } from '../../runtime/logger';
import { workflowsPath } from '../../runtime/paths';
import { createDataConverter, failureConverterPath } from '../../runtime/payload-codec';
import { generatePayloadKey, parsePayloadKeys, type PayloadKey } from '../../runtime/payload-keys';
import { openDb, type Db } from '../../store/db';
import { migrate } from '../../store/migrate';
import { ensureTestServer } from '../../scripts/toolchain.mjs';
import { followActivityClock } from './activity-clock';
import { applyAgentAction, type AgentActionResult } from './agent-actions';
import type { Scenario } from './scenario';
import { ScenarioError } from './scenario';
import { buildTimeline, type Timeline } from './timeline';

let bundle: Promise<WorkflowBundle> | undefined;
export interface SimulationOptions {
  /** Extra configuration files merged after the scenario's own. */
  configFiles?: string[];
  /** Called between events, with the database: lets tests inspect or disturb a run. */
  onEvent?: (db: Db, index: number) => Promise<void>;
  /** Called at the end, before the server goes away (e.g. to save workflow histories). */
  beforeTeardown?: (env: TestWorkflowEnvironment, db: Db) => Promise<void>;
  /** Keys that encrypt the run's payloads; a fresh key per run (the server is ephemeral) otherwise. */
  payloadKeys?: PayloadKey[];
}

export async function runSimulation(scenario: Scenario, options: SimulationOptions = {}): Promise<Timeline> {
  const config = loadConfig([
    ...(scenario.configFile ? [scenario.configFile] : []),
    ...(options.configFiles ?? []),
  ]);
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 2);
  installTemporalLogging(logger); // stdout carries the timeline only
  bundle ??= bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: new DefaultLogger('WARN') });
  const dataConverter = createDataConverter(
    options.payloadKeys ?? parsePayloadKeys(generatePayloadKey('simulation')),
  );
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    client: { dataConverter },
    server: {
      executable: { type: 'existing-path', path: ensureTestServer() },
      extraArgs: ['--start-time', String(Date.parse(scenario.start))],
    },
  });
  const db = await openDb('pglite://memory');
  const clock = { ms: Date.parse(scenario.start) };
  // No data folder here: a fresh outbox token per run, given to the outbox and the channels alike.
  const outboxToken = randomBytes(32).toString('hex');
  const outbox = createOutboxServer({
    store: sqlOutboxStore(db),
    ...outboxCredentials(outboxToken),
    clock: () => new Date(clock.ms),
    logger: false,
  });
  try {
    await migrate(db);
    const outboxUrl = await outbox.listen(0, '127.0.0.1');
    const { channels } = createChannels({}, { url: outboxUrl, twilioAuthToken: outboxToken }, false);
    const deps = createActivityDeps({
      db,
      config,
      channels,
      logger,
      signingSecret: 'simulation-only-secret',
      clock: 'temporal',
      now: () => clock.ms,
    });
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      activities: followActivityClock(createActivities(deps), clock),
      dataConverter,
      workflowBundle: await bundle,
    });
    const dispatcher = createEngineDispatcher(db, env.client, logger, {
      now: () => new Date(clock.ms).toISOString(),
    });
    const ingest = async (body: unknown, at: string, where: string) => {
      try {
        await ingestEvents({ db, config, templates: deps.templates }, body, at);
      } catch (error) {
        if (error instanceof RelanceError)
          throw new ScenarioError(
            scenario.name,
            error.issues.map((i) => ({
              path: `${where}${i.path === '(root)' ? '' : `.${i.path}`}`,
              message: i.message,
            })),
          );
        throw error;
      }
      await dispatcher.drain();
    };
    const agentResults: AgentActionResult[] = [];
    const advanceTo = async (at: string) => {
      const target = Date.parse(at);
      const current = await env.currentTimeMs();
      if (target > current) await env.sleep(target - current);
      clock.ms = Math.max(target, await env.currentTimeMs());
    };

    await worker.runUntil(async () => {
      if (scenario.contacts.length > 0) {
        await ingest(
          scenario.contacts.map((data) => ({ type: 'contact.upserted', data })),
          scenario.start,
          'contacts',
        );
      }
      // Events and agents' actions in time order (an event first at the same instant).
      const steps = [
        ...scenario.events.map((e) => ({ ...e, agent: undefined })),
        ...scenario.agentActions.map((a) => ({ ...a, event: undefined, agent: a })),
      ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || Number(!!a.agent) - Number(!!b.agent));
      for (const { index, at, event, agent } of steps) {
        await advanceTo(at);
        if (agent) agentResults.push(await applyAgentAction(db, env.client, agent));
        if (event) await ingest({ ...event, at }, at, `events[${index}]`);
        await options.onEvent?.(db, index);
      }
      await advanceTo(scenario.until);
      await settle(db);
      await options.beforeTeardown?.(env, db);
    });
    return { ...(await buildTimeline(db)), agentActions: agentResults };
  } finally {
    await outbox.close();
    await env.teardown();
    await db.close();
  }
}

/** Lets work started at the last instant finish (an activity in flight when time ran out). */
async function settle(db: Db): Promise<void> {
  let previous = '';
  for (let i = 0; i < 50; i += 1) {
    const [row] = await db.query<{ n: number; u: Date | null }>(
      `select count(*)::int8 as n, max(updated_at) as u from messages`,
    );
    const [seq] = await db.query<{ u: Date | null }>(`select max(updated_at) as u from sequences`);
    const sending = await db.query(`select 1 from messages where status = 'sending' limit 1`);
    const fingerprint = `${row?.n}:${String(row?.u)}:${String(seq?.u)}`;
    if (fingerprint === previous && sending.length === 0) return;
    previous = fingerprint;
    await new Promise((r) => setTimeout(r, 150));
  }
}
