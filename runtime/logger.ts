/** Structured logs (pino) with secrets redacted wherever they appear in a logged object. */
import { pino, type Logger } from 'pino';

export const REDACTED_PATHS = [
  '*.apiKey',
  '*.authToken',
  '*.password',
  '*.secret',
  'SENDGRID_API_KEY',
  'TWILIO_AUTH_TOKEN',
  'RELANCE_SIGNING_SECRET',
  'req.headers.authorization',
  'headers.authorization',
];

export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    pino.destination(destination),
  );
}
