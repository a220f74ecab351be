/**
 * Process settings from the environment (and an optional secrets file), parsed once at start.
 * Secrets never come from the repository; logs redact them (see logger.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ErrorCode, formatPath, RelanceError } from '../domain/errors';
import { projectRoot } from './paths';

const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('API port'),
  HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Interface the API listens on: 127.0.0.1 (this machine only) unless set, e.g. 0.0.0.0'),
  RELANCE_ADMIN_TOKEN: z
    .string()
    .min(20, 'at least 20 characters (e.g. openssl rand -base64 32)')
    .regex(/^\S+$/, 'no spaces')
    .optional()
    .describe('A token with the admin role; without it npm start generates one into .data/admin-token'),
  RELANCE_API_URL: z
    .url()
    .optional()
    .describe('The running API `relance tokens` talks to (default http://127.0.0.1:$PORT)'),
  OUTBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4010).describe('Local outbox port'),
  OUTBOX_URL: z.url().optional().describe('An outbox already running elsewhere; none is started then'),
  DATABASE_URL: z
    .string()
    .optional()
    .describe('postgres://… for a PostgreSQL server; PGlite under .data/ otherwise'),
  RELANCE_DATA_DIR: z.string().default(join(projectRoot, '.data')).describe('Where embedded data lives'),
  TEMPORAL_ADDRESS: z.string().default('localhost:7233').describe('Temporal frontend host:port'),
  TEMPORAL_UI_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(8233)
    .describe('Web UI port of the dev server npm start runs'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  SENDGRID_API_KEY: z
    .string()
    .min(1)
    .optional()
    .describe('Real SendGrid key; the local outbox is used without it'),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID: AC followed by 32 hex digits')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  SENDGRID_WEBHOOK_PUBLIC_KEY: z
    .string()
    .optional()
    .describe('SendGrid Event Webhook verification key (base64 DER)'),
  SENDGRID_INBOUND_SECRET: z
    .string()
    .min(16)
    .optional()
    .describe('Password of the basic credentials in the Inbound Parse URL; generated under .data if unset'),
  RELANCE_SIGNING_SECRET: z
    .string()
    .min(16)
    .optional()
    .describe('Secret of unsubscribe tokens; generated under .data if unset'),
  RELANCE_PAYLOAD_KEY: z
    .string()
    .optional()
    .describe(
      'Keys encrypting Temporal payloads (base64, 32 bytes; id:key,… to rotate); generated under .data if unset',
    ),
  RELANCE_WORKER_CACHED_WORKFLOWS: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Workflows a worker keeps in memory (0: no sticky queue, every task replays history)'),
  RELANCE_REQUEST_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(30_000)
    .describe(
      'Time a client has to send a whole HTTP request; a slower one gets 408 and is cut (0: no limit)',
    ),
  RELANCE_CLOCK: z
    .enum(['wall', 'temporal'])
    .default('wall')
    .describe("temporal: follow the Temporal server's clock (a time-skipping test server)"),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Settings = z.infer<typeof settingsSchema>;

/** KEY=value lines (the .env format), for RELANCE_SECRETS_FILE. */
function readSecretsFile(file: string): Record<string, string> {
  if (!existsSync(file))
    throw new RelanceError(ErrorCode.InvalidConfig, `RELANCE_SECRETS_FILE ${file} does not exist`);
  const entries: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] && !line.trimStart().startsWith('#'))
      entries[match[1]] = (match[2] ?? '').replace(/^(['"])(.*)\1$/, '$2');
  }
  return entries;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const secrets = env.RELANCE_SECRETS_FILE ? readSecretsFile(env.RELANCE_SECRETS_FILE) : {};
  const parsed = settingsSchema.safeParse({ ...secrets, ...env });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    throw new RelanceError(
      ErrorCode.InvalidConfig,
      `Invalid environment:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
      issues,
    );
  }
  const s = parsed.data;
  if (!!s.TWILIO_ACCOUNT_SID !== !!s.TWILIO_AUTH_TOKEN)
    throw new RelanceError(
      ErrorCode.InvalidConfig,
      'Set both TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or neither',
    );
  return s;
}
