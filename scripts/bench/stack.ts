/**
 * The default embedded stack (`npm start`: PGlite, the Temporal dev server, the worker, the API
 * and the local outbox) in a throw-away data directory, on free ports, for benchmarks. Windows are
 * opened round the clock so a measurement never waits for morning. Peak RSS is sampled over the
 * whole process tree (the Node stack and the Temporal dev server).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchStack {
  apiUrl: string;
  temporalAddress: string;
  /** The local outbox (SendGrid and Twilio APIs, `/_outbox/*`). */
  outboxUrl: string;
  token: string;
  /** The highest total RSS of the stack's processes seen so far, in bytes. */
  peakRss(): number;
  /** CPU seconds used so far by the stack's processes, by command name (node, temporal). */
  cpuSeconds(): Record<string, number>;
  /**
   * CPU seconds of the Node stack's main thread alone (PGlite, the API, activities); the worker's
   * workflow thread, the local outbox's thread, Temporal's Rust core and V8's helpers run beside it.
   */
  mainThreadCpuSeconds(): number;
  post(path: string, body: unknown): Promise<unknown>;
  get(path: string): Promise<unknown>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** RSS in bytes of a process and all its descendants (Linux `ps`). */
function treeRss(rootPid: number): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number, number]);
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(rows.map(([pid, , kb]) => [pid, kb * 1024]));
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop() as number;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/**
 * A process's CPU seconds (user + system) from /proc in clock ticks (1/100 s), where `ps` rounds
 * to whole seconds: 2 ms per sequence at 500 invoices, too coarse to compare two changes.
 */
function procCpu(pid: number, thread?: number): number | undefined {
  try {
    const stat = readFileSync(
      thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`,
      'utf8',
    );
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system, all threads) of a process and its descendants, by command name. */
function treeCpu(rootPid: number): Record<string, number> {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,times=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of rows)
    children.set(Number(ppid), [...(children.get(Number(ppid)) ?? []), Number(pid)]);
  const byPid = new Map(
    rows.map(([pid, , seconds, comm]) => [Number(pid), { seconds: Number(seconds), comm }]),
  );
  const total: Record<string, number> = {};
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop() as number;
    const row = byPid.get(pid);
    if (row?.comm) total[row.comm] = (total[row.comm] ?? 0) + (procCpu(pid) ?? row.seconds);
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

async function waitForApi(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the stack exited (${child.exitCode}) before its API answered`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the stack's API did not answer within ${timeoutMs / 1000} s`);
}

/** A port picked free and taken by another process before the stack listened on it. */
class PortTaken extends Error {}

const START_ATTEMPTS = 3;

/**
 * Starts the stack; when a port picked free was taken before the stack could listen on it (the
 * Temporal dev server opens ports of its own meanwhile), starts it again on other ports.
 */
export async function startBenchStack(extraEnv: Record<string, string> = {}): Promise<BenchStack> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(extraEnv);
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt >= START_ATTEMPTS) throw error;
      console.log(`  (a port was taken before the stack listened on it: starting again on other ports)`);
    }
  }
}

async function startOnce(extraEnv: Record<string, string>): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relance-bench-'));
  const [port, outboxPort, temporalPort] = [await freePort(), await freePort(), await freePort()];
  const uiPort = await freePort(); // two stacks on one machine must not both want 8233
  const token = `bench-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const apiUrl = `http://127.0.0.1:${port}`;
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  // BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the stack (not allowed in NODE_OPTIONS).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'cli/main.ts', 'start'], {
    env: {
      ...process.env,
      PORT: String(port),
      OUTBOX_PORT: String(outboxPort),
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_UI_PORT: String(uiPort),
      RELANCE_DATA_DIR: dataDir,
      RELANCE_ADMIN_TOKEN: token,
      RELANCE_CONFIG: 'examples/config/always-open.yaml',
      LOG_LEVEL: process.env.BENCH_STACK_LOG ?? 'warn',
      ...extraEnv,
    },
    // BENCH_STACK_LOG=debug shows the stack's log (e.g. the campaign page phase timings).
    stdio: ['ignore', process.env.BENCH_STACK_LOG ? 'inherit' : 'ignore', 'pipe'],
  });
  // The stack's errors still show; one that says a port is taken makes the start worth retrying.
  let portTaken = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('EADDRINUSE')) portTaken = true;
    process.stderr.write(chunk);
  });
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, treeRss(child.pid ?? 0));
    } catch {
      // ps raced a process ending: the next sample counts
    }
  }, 250);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  try {
    await waitForApi(apiUrl, child, 180_000);
  } catch (error) {
    clearInterval(sampler);
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
    throw portTaken ? new PortTaken(error instanceof Error ? error.message : String(error)) : error;
  }
  return {
    apiUrl,
    temporalAddress,
    outboxUrl: `http://127.0.0.1:${outboxPort}`,
    token,
    peakRss: () => peak,
    cpuSeconds: () => treeCpu(child.pid ?? 0),
    mainThreadCpuSeconds: () => procCpu(child.pid ?? 0, child.pid ?? 0) ?? 0,
    post: (path, body) => call('POST', path, body),
    get: (path) => call('GET', path),
    async stop() {
      clearInterval(sampler);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
