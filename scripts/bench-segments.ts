/**
 * What selecting a segment costs: `npm run bench:segments [-- --contacts 100000 --page 1000 --explain]`.
 *
 * Fills a throw-away store with generated contacts (one generate_series insert), then times, for
 * a typical campaign segment ("gold or platinum, in France, with the `opted` tag"), its count and
 * its full selection in keyset pages, beside a baseline measured in the same run on the same
 * store: `select count(*) from contacts`, a full scan. Each figure is the median of a few runs.
 * On PGlite (in memory) and, when DATABASE_URL or TEST_DATABASE_URL names a server, on
 * PostgreSQL in a throw-away database there.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Segment } from '../domain/segment';
import { openDb, type Db } from '../store/db';
import { migrate } from '../store/migrate';
import { compileSegment, countSegment, selectSegmentPage } from '../store/segment-query';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const CONTACTS = option('contacts', 100_000);
const PAGE = option('page', 1_000);
const RUNS = option('runs', 5);

const segments: { name: string; segment: Segment }[] = [
  {
    name: 'gold or platinum, FR, opted',
    segment: {
      all: [
        { attribute: 'tier', in: ['gold', 'platinum'] },
        { field: 'country', eq: 'FR' },
        { tag: 'opted' },
      ],
    },
  },
  // Every contact: the whole audience a programme-wide offer reads, 100 pages of 1,000.
  { name: 'points >= 0 (everyone)', segment: { all: [{ attribute: 'points', gte: 0 }] } },
];

/** 100,000 contacts in one statement: five countries, four tiers, a third opted in, points. */
async function fill(db: Db, n: number): Promise<void> {
  await db.query(
    `insert into contacts (id, locale, timezone, country, customer_type, tags, attributes)
     select 'c' || lpad(i::text, 7, '0'),
            (array['fr-FR', 'de-DE', 'nl-BE', 'es-ES', 'it-IT'])[i % 5 + 1], 'Europe/Paris',
            (array['FR', 'DE', 'BE', 'ES', 'IT'])[i % 5 + 1],
            case when i % 7 = 0 then 'business' else 'consumer' end,
            case when i % 3 = 0 then '["opted", "newsletter"]'::jsonb when i % 3 = 1 then '["newsletter"]'::jsonb else '[]'::jsonb end,
            jsonb_build_object('tier', (array['bronze', 'silver', 'gold', 'platinum'])[i % 4 + 1],
                               'points', i % 5000, 'since', to_char(date '2020-01-01' + i % 2000, 'YYYY-MM-DD'))
     from generate_series(1, $1::int) as i`,
    [n],
  );
  await db.query('analyze contacts');
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: caches, plans
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

async function selectAll(db: Db, segment: Segment): Promise<number> {
  let after: string | null = null;
  let total = 0;
  do {
    const page = await selectSegmentPage(db, segment, { after, limit: PAGE });
    total += page.ids.length;
    after = page.next;
  } while (after !== null);
  return total;
}

const f = (ms: number) => `${ms.toFixed(1)} ms`;

async function benchSegment(db: Db, name: string, segment: Segment, baseline: number): Promise<void> {
  const count = await countSegment(db, segment);
  const countMs = await median(() => countSegment(db, segment));
  const selected = await selectAll(db, segment);
  const selectMs = await median(() => selectAll(db, segment));
  if (selected !== count) throw new Error(`paged selection found ${selected}, count ${count}`);
  const ratio = (ms: number) => `${(ms / baseline).toFixed(2)}× baseline`;
  console.log(`  segment "${name}": ${count} contacts`);
  console.log(`    count                              ${f(countMs)}  (${ratio(countMs)})`);
  console.log(
    `    all ids, ${Math.ceil(count / PAGE)} keyset pages of ${PAGE}`.padEnd(39) +
      `${f(selectMs)}  (${ratio(selectMs)})`,
  );
  if (args.includes('--explain')) {
    const { where, params } = compileSegment(segment);
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      `explain select count(*) from contacts where ${where}`,
      params,
    );
    for (const row of plan) console.log(`      ${row['QUERY PLAN']}`);
  }
}

async function bench(label: string, db: Db): Promise<void> {
  await migrate(db);
  const start = performance.now();
  await fill(db, CONTACTS);
  console.log(`\n${label}: ${CONTACTS} contacts inserted in ${f(performance.now() - start)}`);
  const baseline = await median(() => db.query('select count(*) from contacts'));
  console.log(`  baseline: select count(*) from contacts, ${f(baseline)}`);
  for (const { name, segment } of segments) await benchSegment(db, name, segment, baseline);
}

async function onServer(admin: string): Promise<void> {
  const name = `relance_bench_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = await openDb(url.toString());
  try {
    await bench('PostgreSQL', db);
  } finally {
    await db.close();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
}

const pglite = await openDb('pglite://memory');
try {
  await bench('PGlite (in memory)', pglite);
} finally {
  await pglite.close();
}
const server = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (server) await onServer(server);
