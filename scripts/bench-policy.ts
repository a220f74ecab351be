/**
 * What a policy decision costs: `npm run bench [-- --calls 50000 --tx-calls 2000 --assert]`.
 *
 * 1. decide() alone, the pure engine, over seeded realistic inputs (scripts/bench/policy-inputs.ts).
 * 2. A whole decision as the send activity makes it, with its store reads inside the send
 *    transaction under the contact row lock (prepareMessage, scripts/bench/send-transaction.ts),
 *    on PGlite and, when DATABASE_URL or TEST_DATABASE_URL names a server, on PostgreSQL (in a
 *    throw-away database there), against an empty transaction on the same driver.
 *
 * Each call is timed twice: wall time (high-resolution clock) and this process's CPU time
 * (process.cpuUsage, user + system). They differ when a call waits: for the garbage collector's
 * other threads, or for a PostgreSQL server whose work is another process's CPU.
 * `--assert` exits 1 when decide()'s p99 CPU time is 1 ms or more.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../config/load-config';
import { createHolidayCalendar } from '../domain/calendar';
import { decide } from '../domain/policy/decide';
import type { PolicyInput } from '../domain/policy/types';
import { openDb, type Db } from '../store/db';
import { migrate } from '../store/migrate';
import { places, policyInputs, warmCalendar } from './bench/policy-inputs';
import { benchSendTransaction, type TransactionBench } from './bench/send-transaction';
import { quantiles, Samples, timedSync, us } from './bench/stats';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const CALLS = option('calls', 50_000);
const WARM_UP = option('warm-up', 5_000);
const TX_CALLS = option('tx-calls', 1_000);
const TX_WARM_UP = option('tx-warm-up', 200);
const INPUTS = 2_000;
const percentiles = [0.5, 0.9, 0.99];

function benchDecide(): boolean {
  const config = loadConfig();
  const calendar = createHolidayCalendar();
  warmCalendar(calendar);
  const inputs = policyInputs(INPUTS, config, calendar);
  for (let i = 0; i < WARM_UP; i += 1) decide(inputs[i % INPUTS] as PolicyInput);

  const samples = new Samples(CALLS);
  const outcomes = new Map<string, number>();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < CALLS; i += 1) {
    const decision = timedSync(samples, () => decide(inputs[i % INPUTS] as PolicyInput));
    const label = decision.kind === 'suppress' ? `suppress:${decision.reason}` : decision.kind;
    outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const sizes = inputs.map((i) => i.history.length);
  console.log(
    `1. decide() alone: ${CALLS} timed calls after ${WARM_UP} warm-up calls, over ${INPUTS} inputs`,
  );
  console.log(
    `   histories of ${Math.min(...sizes)}–${Math.max(...sizes)} messages, ` +
      `${new Set(places.map((p) => p.timezone)).size} time zones, default config`,
  );
  console.log(`   CPU time   ${quantiles(samples, 'cpu', percentiles)}`);
  console.log(`   wall time  ${quantiles(samples, 'wall', percentiles)}   max ${us(samples.at('wall', 1))}`);
  console.log(`   process CPU over the whole loop, per call: ${us((cpu.user + cpu.system) / CALLS)}`);
  console.log(`   outcomes: ${share(outcomes, CALLS)}`);
  const fast = samples.at('cpu', 0.99) < 1000;
  console.log(`   p99 CPU < 1 ms: ${fast ? 'yes' : 'NO'}`);
  return fast;
}

function share(outcomes: Map<string, number>, total: number): string {
  return [...outcomes]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${((100 * v) / total).toFixed(1)}%`)
    .join(', ');
}

function printTransaction(label: string, bench: TransactionBench): void {
  const { decision, baseline } = bench;
  const qs = [0.5, 0.99];
  console.log(`   ${label}`);
  console.log(
    `     whole decision   wall ${quantiles(decision, 'wall', qs)}   CPU ${quantiles(decision, 'cpu', qs)}`,
  );
  console.log(
    `     empty tx (base)  wall ${quantiles(baseline, 'wall', qs)}   CPU ${quantiles(baseline, 'cpu', qs)}`,
  );
  const ratio = (q: number) => (decision.at('wall', q) / baseline.at('wall', q)).toFixed(1);
  console.log(`     wall time against the empty transaction: p50 ×${ratio(0.5)}, p99 ×${ratio(0.99)}`);
  for (const [outcome, samples] of [...bench.byOutcome].sort((a, b) => b[1].size - a[1].size)) {
    const part = `${((100 * samples.size) / TX_CALLS).toFixed(1)}%`;
    console.log(`     ${outcome} (${part}): CPU ${quantiles(samples, 'cpu', qs)}`);
  }
}

async function onPglite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'relance-bench-'));
  const db = await openDb(`pglite://${dir}`);
  try {
    await migrate(db);
    printTransaction(
      'PGlite (embedded, on disk, as `npm start`)',
      await benchSendTransaction(db, TX_CALLS, TX_WARM_UP),
    );
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function onPostgres(serverUrl: string): Promise<void> {
  const name = `relance_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let db: Db | undefined;
  try {
    db = await openDb(url.toString());
    await migrate(db);
    const where = `${url.hostname}:${url.port || 5432}, throw-away database ${name}`;
    printTransaction(
      `PostgreSQL (${where}; CPU is this process's only)`,
      await benchSendTransaction(db, TX_CALLS, TX_WARM_UP),
    );
  } finally {
    await db?.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const fast = benchDecide();
  console.log('');
  console.log(
    `2. A whole decision in the send transaction (prepareMessage: contact row lock, store reads, decide,\n` +
      `   render when sending, ledger write; rolled back): ${TX_CALLS} timed calls after ${TX_WARM_UP} warm-up,\n` +
      `   300 contacts with 0–50 messages each; each call is followed by an empty transaction (select 1)`,
  );
  await onPglite();
  const server = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (server?.startsWith('postgres')) await onPostgres(server);
  else
    console.log('   PostgreSQL: skipped (set DATABASE_URL or TEST_DATABASE_URL to a server to include it)');
  if (flag('assert') && !fast) process.exitCode = 1;
}

await main();
