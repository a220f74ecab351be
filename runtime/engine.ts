/**
 * Wires one Relance engine from its parts: store, configuration, templates, channels, activities,
 * the event dispatcher and a Temporal worker. `npm start`, `worker.ts`, the simulator and the
 * tests all build through here, so they run the same code.
 */
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities, type Activities, type ActivityDeps } from '../activities';
import { createUnsubscribeToken } from '../api/unsubscribe-token';
import type { Channels } from '../channels/channel';
import type { RelanceConfig } from '../config/schema';
import { createHolidayCalendar } from '../domain/calendar';
import type { KindRegistry } from '../kinds/kind';
import { defaultKinds } from '../kinds/registry';
import { createDispatcher, type Dispatcher } from '../ingestion/dispatcher';
import type { Db } from '../store/db';
import { loadTemplates, type TemplateRegistry } from '../templates/registry';
import { TASK_QUEUE } from '../workflows/messages';
import { workflowsPath } from './paths';
import { createDataConverter } from './payload-codec';
import { payloadKeys } from './payload-keys';

const UNSUBSCRIBE_VALIDITY_MS = 60 * 24 * 3600 * 1000;

export function createTemplates(config: RelanceConfig): TemplateRegistry {
  return loadTemplates({
    locales: config.locales,
    defaultLocale: config.company.defaultLocale,
    smsMaxSegments: config.messages.smsMaxSegments,
  });
}

export interface EngineParts {
  db: Db;
  config: RelanceConfig;
  channels: Channels;
  logger: Logger;
  signingSecret: string;
  templates?: TemplateRegistry;
  /** The sequence kinds; the default ones (kinds/registry.ts) unless a test registers its own. */
  kinds?: KindRegistry;
  /** Clock of token expiry; the simulator passes its simulated clock. */
  now?: () => number;
  /** `temporal` when the server's clock is simulated (time-skipping); `wall` otherwise. */
  clock?: 'wall' | 'temporal';
}

export function createActivityDeps(parts: EngineParts): ActivityDeps {
  const { config } = parts;
  const now = parts.now ?? Date.now;
  return {
    db: parts.db,
    config,
    templates: parts.templates ?? createTemplates(config),
    channels: parts.channels,
    calendar: createHolidayCalendar(),
    logger: parts.logger,
    kinds: parts.kinds ?? defaultKinds(),
    unsubscribeUrl: (contactId, channel) =>
      `${config.company.publicUrl.replace(/\/$/, '')}/v1/unsubscribe?token=${createUnsubscribeToken(
        { contactId, channel, expiresAt: now() + UNSUBSCRIBE_VALIDITY_MS },
        parts.signingSecret,
      )}`,
    statusCallbackUrl: `${config.company.publicUrl.replace(/\/$/, '')}/v1/webhooks/twilio/status`,
    clock: parts.clock ?? 'wall',
  };
}

export async function createWorker(args: {
  connection: NativeConnection;
  namespace: string;
  activities: Activities;
  /** The same as the clients' (createDataConverter): payloads are encrypted both ways. */
  dataConverter: DataConverter;
  workflowBundle?: WorkflowBundle;
  identity?: string;
  maxCachedWorkflows?: number;
}): Promise<Worker> {
  return Worker.create({
    connection: args.connection,
    namespace: args.namespace,
    taskQueue: TASK_QUEUE,
    dataConverter: args.dataConverter,
    ...(args.workflowBundle ? { workflowBundle: args.workflowBundle } : { workflowsPath }),
    activities: args.activities,
    ...(args.identity ? { identity: args.identity } : {}),
    ...(args.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: args.maxCachedWorkflows } : {}),
    ...workerSlots(args.maxCachedWorkflows),
  });
}

/**
 * Workflow tasks in progress at once, and local activities (a sequence's store calls and its
 * send's first attempt run as local activities, one after another, inside its workflow task).
 * The SDK's 40 kept 2,000 new invoices near 38 sequences/s with a core to spare: each task
 * waits in turn for the busy main thread. 120 (and 240) gave 47/s; 250 (and 500) fell back to
 * about 40/s (bench:sequences, README Performance). No more tasks than cached workflows.
 */
const WORKFLOW_TASK_SLOTS = 120;
function workerSlots(maxCachedWorkflows: number | undefined) {
  const tasks =
    maxCachedWorkflows !== undefined && maxCachedWorkflows > 0
      ? Math.max(2, Math.min(WORKFLOW_TASK_SLOTS, maxCachedWorkflows))
      : WORKFLOW_TASK_SLOTS;
  return { maxConcurrentWorkflowTaskExecutions: tasks, maxConcurrentLocalActivityExecutions: 2 * tasks };
}

export function createEngineDispatcher(
  db: Db,
  client: Client,
  logger: Logger,
  options: Pick<Parameters<typeof createDispatcher>[0], 'now' | 'eagerStart' | 'eraseProviderCopies'> = {},
): Dispatcher {
  return createDispatcher({ db, client, logger, ...options });
}

export { createActivities };

/**
 * The Temporal side of a process: a client for the dispatcher, and a worker for the activities,
 * both encrypting payloads with the installation's keys (payload-keys.ts). The client rides the
 * worker's native connection.
 */
export async function connectTemporal(
  settings: {
    TEMPORAL_ADDRESS: string;
    TEMPORAL_NAMESPACE: string;
    RELANCE_DATA_DIR: string;
    RELANCE_PAYLOAD_KEY?: string | undefined;
    RELANCE_WORKER_CACHED_WORKFLOWS?: number | undefined;
  },
  activities: Activities,
) {
  const dataConverter = createDataConverter(payloadKeys(settings));
  const nativeConnection = await NativeConnection.connect({ address: settings.TEMPORAL_ADDRESS });
  const client = new Client({
    connection: nativeConnection,
    namespace: settings.TEMPORAL_NAMESPACE,
    dataConverter,
  });
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: settings.TEMPORAL_NAMESPACE,
    activities,
    dataConverter,
    ...(settings.RELANCE_WORKER_CACHED_WORKFLOWS !== undefined
      ? { maxCachedWorkflows: settings.RELANCE_WORKER_CACHED_WORKFLOWS }
      : {}),
  });
  return {
    client,
    worker,
    close: async () => {
      await nativeConnection.close();
    },
  };
}

/**
 * A serving process's engine (`npm start`, `worker.ts`): the worker with the activities over
 * `deps`, and the event dispatcher. Its starts are eager: its client rides the worker's native
 * connection (connectTemporal), and the SDK refuses eager starts from any other client.
 */
export async function connectEngine(
  db: Db,
  settings: Parameters<typeof connectTemporal>[0],
  deps: ActivityDeps,
  logger: Logger,
  options: Pick<Parameters<typeof createDispatcher>[0], 'eraseProviderCopies'> = {},
) {
  const temporal = await connectTemporal(settings, createActivities(deps));
  const dispatcher = createEngineDispatcher(db, temporal.client, logger, { ...options, eagerStart: true });
  return { ...temporal, dispatcher };
}
