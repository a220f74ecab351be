/**
 * A Relance worker process on its own: the Temporal worker (workflows and activities) and an
 * event dispatcher, against PostgreSQL. `npm start` runs the same parts in one process over the
 * embedded store; this entry point is for deployments that scale workers separately.
 */
import { configFilesFromEnv, loadConfig } from './config/load-config';
import { RelanceError } from './domain/errors';
import { channelsForConfig } from './runtime/channels';
import { connectEngine, createActivityDeps, createTemplates } from './runtime/engine';
import { createLogger, installTemporalLogging } from './runtime/logger';
import { outboxTwilioToken, signingSecret } from './runtime/local-services';
import { loadSettings } from './runtime/settings';
import { openDb } from './store/db';
import { migrate } from './store/migrate';
import { seedConfigSchedules } from './store/schedule-repository';

async function main(): Promise<void> {
  const settings = loadSettings();
  if (!settings.DATABASE_URL) {
    throw new RelanceError(
      'INVALID_CONFIG',
      'worker.ts runs beside other processes, so it needs PostgreSQL: set DATABASE_URL. With the embedded store, use `npm start`.',
    );
  }
  const usesOutbox = !settings.SENDGRID_API_KEY || !settings.TWILIO_AUTH_TOKEN;
  if (usesOutbox && !settings.OUTBOX_URL) {
    throw new RelanceError(
      'INVALID_CONFIG',
      'Set SENDGRID_API_KEY and TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN, or OUTBOX_URL for a local outbox.',
    );
  }
  const config = loadConfig(configFilesFromEnv());
  const templates = createTemplates(config);
  const logger = createLogger(settings.LOG_LEVEL);
  installTemporalLogging(logger);
  const db = await openDb(settings.DATABASE_URL);
  await migrate(db);
  await seedConfigSchedules(db, config); // a changed YAML becomes a new schedule version
  // An outbox elsewhere belongs to this installation: it checks the token of the same data folder.
  const outbox = settings.OUTBOX_URL
    ? { url: settings.OUTBOX_URL, twilioAuthToken: outboxTwilioToken(settings.RELANCE_DATA_DIR) }
    : undefined;
  const channels = channelsForConfig(settings, config, outbox);
  const deps = createActivityDeps({
    db,
    config,
    channels,
    logger,
    templates,
    signingSecret: signingSecret(settings.RELANCE_DATA_DIR, settings.RELANCE_SIGNING_SECRET),
    clock: settings.RELANCE_CLOCK,
  });
  const { worker, dispatcher, close: closeTemporal } = await connectEngine(db, settings, deps, logger);
  dispatcher.start();
  logger.info(
    { temporal: settings.TEMPORAL_ADDRESS, namespace: settings.TEMPORAL_NAMESPACE },
    'worker running',
  );
  await worker.run(); // returns after SIGINT/SIGTERM (the SDK drains in-flight tasks first)
  await dispatcher.stop();
  await closeTemporal();
  await db.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
