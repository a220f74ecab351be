/**
 * Local services `npm start` brings up when nothing else provides them: the Temporal CLI dev
 * server (Web UI included, history persisted under the data folder), and a guard so two
 * processes never open the same embedded database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ensureTemporalCli } from '../scripts/toolchain.mjs';
import { installationSecret } from './installation-secret';

export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function waitForPort(
  host: string,
  port: number,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isPortOpen(host, port)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not open ${host}:${port} within ${Math.round(timeoutMs / 1000)} s`);
}

export interface TemporalDevServer {
  process: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` on 7233 (Web UI 8233), its database under dataDir. */
export async function startTemporalDevServer(
  dataDir: string,
  port = 7233,
  uiPort = 8233,
): Promise<TemporalDevServer> {
  const cli = ensureTemporalCli();
  const logFile = join(dataDir, 'temporal.log');
  const log = openSync(logFile, 'a');
  const child = spawn(
    cli,
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--ui-port',
      String(uiPort),
      '--db-filename',
      join(dataDir, 'temporal.db'),
      // WAL lets readers run beside the writer, and NORMAL syncs at checkpoints rather than at
      // every commit: safe against a killed process (the WAL survives), several times faster.
      '--sqlite-pragma',
      'journal_mode=wal',
      '--sqlite-pragma',
      'synchronous=normal',
      '--dynamic-config-value',
      'system.enableEagerWorkflowStart=true',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', log, log] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  // If this process dies of an error, the dev server must not outlive it and hold the port.
  process.once('exit', () => child.kill('SIGTERM'));
  await Promise.race([
    waitForPort('127.0.0.1', port, 60_000, 'The Temporal dev server'),
    exited.then((code) => {
      throw new Error(`The Temporal dev server exited (${code}); see ${logFile}`);
    }),
  ]);
  return {
    process: child,
    logFile,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Refuses to open the embedded database twice (PGlite is single-process). */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lock = join(dataDir, 'relance.pid');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    let alive = false;
    try {
      alive = pid > 0 && process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (alive && pid !== process.pid)
      throw new Error(
        `Another Relance process (pid ${pid}) is using ${dataDir}; stop it first, or set RELANCE_DATA_DIR`,
      );
  }
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

/** The unsubscribe-token secret: RELANCE_SIGNING_SECRET, or `.data/signing-secret`. */
export function signingSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  return installationSecret(dataDir, 'signing-secret', randomHex);
}

const randomHex = () => randomBytes(32).toString('hex');

/**
 * The password SendGrid's Inbound Parse must send (https://relance:<secret>@host/…):
 * SENDGRID_INBOUND_SECRET, or `.data/sendgrid-inbound-secret`.
 */
export function sendgridInboundSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  return installationSecret(dataDir, 'sendgrid-inbound-secret', randomHex);
}

/**
 * The local outbox's Twilio auth token (`.data/outbox-twilio-token`): the outbox checks the SMS
 * channel's requests with it, and Twilio webhooks are verified against it when no real Twilio
 * account is configured. A token written in the source would let anyone forge a STOP.
 */
export function outboxTwilioToken(dataDir: string): string {
  return installationSecret(dataDir, 'outbox-twilio-token', randomHex);
}

/**
 * What Twilio webhooks are verified with: TWILIO_AUTH_TOKEN when real Twilio is configured, else
 * the local outbox's token. With neither (no data folder to keep one), undefined: the webhook
 * routes then refuse every request rather than trust anyone.
 */
export function twilioWebhookToken(
  settings: { TWILIO_AUTH_TOKEN?: string | undefined },
  dataDir: string | undefined,
): string | undefined {
  if (settings.TWILIO_AUTH_TOKEN) return settings.TWILIO_AUTH_TOKEN;
  return dataDir ? outboxTwilioToken(dataDir) : undefined;
}
