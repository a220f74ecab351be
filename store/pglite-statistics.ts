/**
 * Planner statistics for the embedded store. A PostgreSQL server's autovacuum re-analyzes a table
 * once it has changed enough; PGlite runs no background workers, so without this its planner
 * keeps judging a table by what it held when it was created (nothing), and picks plans that read
 * the whole table: a campaign page's dedup lookup went from 7 ms to 150–260 ms as the ledger grew
 * to 60,000–100,000 messages. So, every few seconds, each table that has grown or shrunk by more
 * than half since it was last analyzed (and by more than a few pages) is analyzed again: a table
 * growing from nothing to 100,000 rows is analyzed about six times on the way, each in a fraction
 * of a second.
 */
import type { Sql } from './db';

export const STATISTICS_INTERVAL_MS = 15_000;
/** A table is analyzed again when its size moved by more than this share… */
const CHANGED_SHARE = 0.5;
/** …and by more than this many 8 kB pages (small tables are planned well enough). */
const CHANGED_PAGES = 8;

interface TableSize {
  name: string;
  /** Pages when last analyzed (0 when never), and now. */
  analyzed: number;
  now: number;
}

/** The tables of the public schema whose statistics no longer describe their size. */
export async function staleTables(sql: Sql): Promise<string[]> {
  const tables = await sql.query<TableSize>(
    `select c.relname as name, greatest(c.relpages, 0)::int as analyzed,
       (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as now
     from pg_class c where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace`,
  );
  return tables
    .filter((t) => {
      const moved = Math.abs(t.now - t.analyzed);
      return moved > CHANGED_PAGES && moved > CHANGED_SHARE * t.analyzed;
    })
    .map((t) => t.name)
    .sort();
}

/**
 * Rows ANALYZE samples are 300 × this target: 3,000 here, against 30,000 by default. PGlite's
 * memory never shrinks, and a default analyze of a 60,000-message ledger took 1.1 s and kept
 * 66 MiB; this one takes 0.15 s and 16 MiB, and the campaign's lookups get the same plans.
 */
const STATISTICS_TARGET = 10;

/** Analyzes the stale tables; returns their names. */
export async function refreshStatistics(sql: Sql): Promise<string[]> {
  const stale = await staleTables(sql);
  if (stale.length > 0) await sql.query(`set default_statistics_target = ${STATISTICS_TARGET}`);
  // Names come from pg_class; quoted all the same.
  for (const name of stale) await sql.query(`analyze "${name.replace(/"/g, '""')}"`);
  return stale;
}

/**
 * Refreshes the statistics every `intervalMs` until stopped. A pass that fails (the store being
 * closed) is skipped: statistics only make plans better, never results different.
 */
export function keepStatistics(sql: Sql, intervalMs = STATISTICS_INTERVAL_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshStatistics(sql)
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
