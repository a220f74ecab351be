/**
 * Runs `relance start` as a real child process (API + worker + dispatcher + embedded PGlite on
 * disk), pointed at a Temporal server and an outbox the test owns, so a test can SIGKILL it and
 * start it again on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { authHeaders, TEST_ADMIN_TOKEN } from './api-auth';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface StackProcess {
  child: ChildProcess;
  apiUrl: string;
  output: () => string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(env: Record<string, string>): Promise<StackProcess> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'start'], {
    cwd: projectRoot,
    // The child's admin token is the tests' own, so postJson and authHeaders reach its API.
    env: {
      ...process.env,
      RELANCE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      ...env,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 90_000;
  while (!output.includes('Relance is running')) {
    if (child.exitCode !== null) throw new Error(`relance start exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`relance start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    apiUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...authHeaders, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Polls until `probe` answers something truthy (it may be async). */
export async function waitFor(what: string, probe: () => unknown, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
