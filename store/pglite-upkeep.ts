/**
 * Autovacuum's work for the embedded store. A PostgreSQL server's autovacuum analyzes a table once
 * enough of it has changed, and vacuums it once enough of its rows are dead; PGlite runs no
 * background workers, so without this:
 * - its planner had no column statistics, only each table's size: a campaign page's dedup lookup
 *   (`dedup_key = any(…)` of 1,000 keys) got a default selectivity near the whole table, and was
 *   planned through the status column, reading every sent message: 7 ms once analyzed, 150–260 ms
 *   as the ledger grew to 60,000–100,000 messages;
 * - every updated row (a message sent, an event dispatched) left its old version behind for good.
 * So, every few seconds, the tables past autovacuum's default thresholds are analyzed or vacuumed.
 * (Not done: autovacuum's vacuum of insert-only tables and its freezing of old rows.)
 */
import type { Sql } from './db';

export const UPKEEP_INTERVAL_MS = 15_000;
/** PostgreSQL's defaults: analyze after 50 + 10 % of the rows changed, vacuum after 50 + 20 % dead. */
const ANALYZE = { threshold: 50, share: 0.1 };
const VACUUM = { threshold: 50, share: 0.2 };
/**
 * The session's `default_statistics_target`, set when the store opens (db.ts): ANALYZE samples
 * 300 × this many rows, 3,000 against 30,000 by default, and keeps that many most common values.
 * PGlite's memory never shrinks, and a default analyze of a 60,000-message ledger took 1.1 s and
 * kept 66 MiB; this one takes 0.15 s and 16 MiB, and the campaign's lookups get the same plans.
 */
export const STATISTICS_TARGET = 10;

export interface UpkeepDue {
  analyze: string[];
  vacuum: string[];
}

interface TableActivity {
  name: string;
  live: number;
  dead: number;
  changed: number;
}

/** The tables of the public schema past autovacuum's thresholds. */
export async function upkeepDue(sql: Sql): Promise<UpkeepDue> {
  // The counters of the statements just run reach the view at the end of this one's transaction.
  await sql.query('select pg_stat_force_next_flush()');
  const tables = await sql.query<TableActivity>(
    `select relname as name, n_live_tup::int as live, n_dead_tup::int as dead, n_mod_since_analyze::int as changed
     from pg_stat_user_tables where schemaname = 'public' order by relname`,
  );
  return {
    analyze: tables.filter((t) => t.changed > ANALYZE.threshold + ANALYZE.share * t.live).map((t) => t.name),
    vacuum: tables.filter((t) => t.dead > VACUUM.threshold + VACUUM.share * t.live).map((t) => t.name),
  };
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Vacuums and analyzes what is due; returns what it did. */
export async function upkeep(sql: Sql): Promise<UpkeepDue> {
  const due = await upkeepDue(sql);
  for (const name of new Set([...due.vacuum, ...due.analyze])) {
    const analyze = due.analyze.includes(name);
    if (!due.vacuum.includes(name)) await sql.query(`analyze ${quoted(name)}`);
    else await sql.query(`vacuum ${analyze ? '(analyze) ' : ''}${quoted(name)}`);
  }
  return due;
}

/**
 * Runs `upkeep` every `intervalMs` until stopped. A pass that fails is reported to `onError` once
 * (upkeep only makes plans better and files smaller, never results different, so the store goes
 * on without it); one that fails after `stop` (the store closing) is not.
 */
export function keepUp(sql: Sql, intervalMs: number, onError: (error: Error) => void): () => void {
  let running = false;
  let stopped = false;
  let reported = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    upkeep(sql)
      .catch((error: unknown) => {
        if (stopped || reported) return;
        reported = true;
        onError(error instanceof Error ? error : new Error(String(error)));
      })
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
