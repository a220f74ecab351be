/** Structured logs (pino) with secrets redacted wherever they appear in a logged object. */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
  '*.apiKey',
  '*.authToken',
  '*.password',
  '*.secret',
  'SENDGRID_API_KEY',
  'TWILIO_AUTH_TOKEN',
  'RELANCE_SIGNING_SECRET',
  'SENDGRID_INBOUND_SECRET',
  'RELANCE_PAYLOAD_KEY',
  'RELANCE_ADMIN_TOKEN',
  '*.adminToken',
  '*.token',
  'token',
  '*.payloadKey',
  '*.payloadKeys',
  'req.headers.authorization',
  'headers.authorization',
];

export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    pino.destination(destination),
  );
}

/**
 * Routes the Temporal SDK's own logs (worker state, bundling) into the process logger at WARN and
 * above, so a start prints one readable summary instead of webpack's build report.
 */
export function installTemporalLogging(logger: Logger): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN', (entry) => {
        const level = entry.level === 'ERROR' ? 'error' : 'warn';
        logger[level]({ temporal: entry.meta }, entry.message);
      }),
      // The SDK core's own logs come through the same logger (never raw onto stdout).
      telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
    });
  } catch {
    // A runtime is already installed (tests): keep it.
  }
}
