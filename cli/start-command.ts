/**
 * `npm start`: the whole stack in one process on its embedded defaults: the Temporal dev server
 * (a child process), PGlite under .data/, the local outbox (a thread of its own, its store under
 * .data/outbox), the worker, the event dispatcher and the API. Prints where each part listens;
 * stops cleanly on Ctrl-C.
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { temporalHandoffActions } from '../api/handoff-actions';
import { buildApi } from '../api/server';
import { eraseInOutbox } from '../channels/outbox/outbox-lookup';
import { sqlOutboxStore } from '../channels/outbox/outbox-store';
import { startOutboxThread } from '../channels/outbox/outbox-thread';
import { configFilesFromEnv, loadConfig } from '../config/load-config';
import { adminToken } from '../runtime/admin-token';
import { channelsForConfig, outboxCredentials } from '../runtime/channels';
import { connectEngine, createActivityDeps, createTemplates } from '../runtime/engine';
import {
  isPortOpen,
  lockDataDir,
  outboxTwilioToken,
  sendgridInboundSecret,
  signingSecret,
  twilioWebhookToken,
  startTemporalDevServer,
  type TemporalDevServer,
} from '../runtime/local-services';
import { createLogger, installTemporalLogging } from '../runtime/logger';
import { loadSettings } from '../runtime/settings';
import { initialisePglite, openDb } from '../store/db';
import { migrate } from '../store/migrate';
import { seedConfigSchedules } from '../store/schedule-repository';

/** Where the admin token is, never the token: `in .data/admin-token   (TOKEN=$(cat …))`. */
function tokenWhere(source: string): string {
  if (source === 'RELANCE_ADMIN_TOKEN') return 'from RELANCE_ADMIN_TOKEN';
  const near = relative(process.cwd(), source);
  const path = near.startsWith('..') ? source : near;
  return `in ${path}   (TOKEN=$(cat ${path}))`;
}

export async function startCommand(): Promise<number> {
  const settings = loadSettings();
  const config = loadConfig(configFilesFromEnv());
  const templates = createTemplates(config); // a broken template stops the start here, not at send time
  const logger = createLogger(settings.LOG_LEVEL);
  installTemporalLogging(logger);
  const dataDir = settings.RELANCE_DATA_DIR;
  mkdirSync(dataDir, { recursive: true });
  const unlock = settings.DATABASE_URL ? () => undefined : lockDataDir(dataDir);
  const dbUrl = settings.DATABASE_URL ?? `pglite://${join(dataDir, 'pglite')}`;
  const usesOutbox = !settings.SENDGRID_API_KEY || !settings.TWILIO_AUTH_TOKEN;
  const ownOutbox = usesOutbox && !settings.OUTBOX_URL;
  const outboxDbUrl = settings.DATABASE_URL ?? `pglite://${join(dataDir, 'outbox')}`;
  // The outbox's own folder is initialised before the store opens: initdb's process (some 850 MB)
  // then never runs beside an open store.
  if (ownOutbox && !settings.DATABASE_URL) await initialisePglite(join(dataDir, 'outbox'));
  const db = await openDb(dbUrl);
  await migrate(db);
  await seedConfigSchedules(db, config); // a changed YAML becomes a new schedule version

  const [host = 'localhost', portText = '7233'] = settings.TEMPORAL_ADDRESS.split(':');
  let temporal: TemporalDevServer | undefined;
  if (!(await isPortOpen(host, Number(portText)))) {
    process.stderr.write(
      `[relance] starting the Temporal dev server on ${settings.TEMPORAL_ADDRESS} (Web UI on ${settings.TEMPORAL_UI_PORT})…\n`,
    );
    temporal = await startTemporalDevServer(dataDir, Number(portText), settings.TEMPORAL_UI_PORT);
  }

  const outboxToken = usesOutbox ? outboxTwilioToken(dataDir) : '';
  const outbox = ownOutbox
    ? await startOutboxThread(
        {
          dbUrl: outboxDbUrl,
          port: settings.OUTBOX_PORT,
          host: '127.0.0.1',
          ...outboxCredentials(outboxToken),
        },
        (error) => {
          logger.fatal({ err: error }, 'the local outbox stopped');
          process.exit(1);
        },
      )
    : undefined;
  const outboxUrl = outbox?.url ?? settings.OUTBOX_URL;
  const channels = channelsForConfig(
    settings,
    config,
    outboxUrl ? { url: outboxUrl, twilioAuthToken: outboxToken } : undefined,
  );
  const secret = signingSecret(dataDir, settings.RELANCE_SIGNING_SECRET);
  const deps = createActivityDeps({
    db,
    config,
    channels,
    logger,
    templates,
    signingSecret: secret,
    clock: settings.RELANCE_CLOCK,
  });

  const {
    client,
    worker,
    dispatcher,
    close: closeTemporal,
  } = await connectEngine(
    db,
    settings,
    deps,
    logger,
    // Its own store needs the word; a PostgreSQL table it shares is scrubbed by the erasure itself.
    outbox && !settings.DATABASE_URL
      ? { eraseProviderCopies: (copies) => eraseInOutbox(outbox.url, copies) }
      : {},
  );
  const admin = adminToken(settings);
  const api = await buildApi({
    adminToken: admin.token,
    db,
    config,
    templates,
    // What the outbox recorded in the store before it had its own (PGlite only: PostgreSQL shares one table).
    ...(outbox
      ? { outbox: { url: outbox.url, ...(settings.DATABASE_URL ? {} : { earlier: sqlOutboxStore(db) }) } }
      : {}),
    onCommitted: () => dispatcher.nudge(),
    handoffActions: temporalHandoffActions(client),
    logger: false,
    requestTimeoutMs: settings.RELANCE_REQUEST_TIMEOUT_MS,
    webhooks: {
      twilioAuthToken: twilioWebhookToken(settings, dataDir),
      ...(settings.SENDGRID_WEBHOOK_PUBLIC_KEY
        ? { sendgridPublicKey: settings.SENDGRID_WEBHOOK_PUBLIC_KEY }
        : {}),
      signingSecret: secret,
      sendgridInboundSecret: sendgridInboundSecret(dataDir, settings.SENDGRID_INBOUND_SECRET),
    },
  });
  const workerRun = worker.run();
  dispatcher.start();
  const apiUrl = await api.listen({ port: settings.PORT, host: settings.HOST });

  const lines = [
    '',
    'Relance is running.',
    `  API         ${apiUrl.replace('0.0.0.0', 'localhost')}   (OpenAPI: /v1/openapi.json, outbox: /v1/outbox)`,
    `  Console     ${apiUrl.replace('0.0.0.0', 'localhost')}/console   (sign in with a token)`,
    `  Admin token ${tokenWhere(admin.source)}`,
    `  Temporal    ${settings.TEMPORAL_ADDRESS}${temporal ? `   Web UI: http://localhost:${settings.TEMPORAL_UI_PORT}` : ' (already running)'}`,
    `  Outbox      ${outboxUrl ?? 'off: real SendGrid and Twilio credentials are configured'}`,
    `  Store       ${settings.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${join(dataDir, 'pglite')}`}`,
    `  Worker      task queue "relance", namespace "${settings.TEMPORAL_NAMESPACE}"`,
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n[relance] ${signal}: stopping…\n`);
    await api.close();
    await dispatcher.stop();
    if (worker.getState() === 'RUNNING') worker.shutdown(); // the SDK also reacts to SIGINT itself
    await workerRun.catch(() => undefined);
    await closeTemporal();
    await outbox?.close();
    await db.close();
    unlock();
    await temporal?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return -1; // keep running
}
