/**
 * One SQL dialect, two drivers: PostgreSQL through `pg` when DATABASE_URL is set, the embedded
 * PGlite otherwise (in memory, or on disk under a data folder). Repositories see only `Sql`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { keepUp, STATISTICS_TARGET, UPKEEP_INTERVAL_MS } from './pglite-upkeep';
import { pgliteSession } from './pglite-session';

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Sql {
  readonly driver: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: all of it commits, or none of it. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;
/** PGlite's parsers as the store reads: bigint counts as numbers, dates as `YYYY-MM-DD` text (as through `pg`). */
export const PGLITE_PARSERS = { [INT8]: (v: string) => Number(v), [DATE]: (v: string) => v };

export interface OpenOptions {
  /** PGlite: how often the store's upkeep runs (pglite-upkeep.ts); null for never (tests that measure plans). */
  upkeepIntervalMs?: number | null;
  /** PGlite: its shared buffers (PostgreSQL's `shared_buffers`, default 128MB), e.g. `16MB`. */
  sharedBuffers?: string;
}

/** `postgres://…` uses a server; `pglite://memory` or `pglite:///abs/dir` the embedded engine. */
export async function openDb(url: string, options: OpenOptions = {}): Promise<Db> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url);
  if (url === 'pglite://memory' || url === 'memory') return openPglite(undefined, options);
  if (url.startsWith('pglite://')) return openPglite(url.slice('pglite://'.length), options);
  throw new Error(
    `Unsupported database URL "${url}": expected postgres://…, pglite://memory or pglite:///path`,
  );
}

/**
 * A fresh data folder is initialised (initdb) by the instance that opens it, and that instance
 * keeps about 450 MB of initdb's memory (external, WebAssembly) for its whole life; closed and
 * collected, it still leaves the process some 150 MB larger. So initdb runs in a short-lived
 * process of its own (pglite-initdb.mjs), and this one opens the initialised folder.
 */
export async function initialisePglite(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const script = fileURLToPath(new URL('./pglite-initdb.mjs', import.meta.url));
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [script, dataDir], (error, _stdout, stderr) =>
      error
        ? reject(new Error(`Could not initialise the store in ${dataDir}: ${stderr || error.message}`))
        : resolve(),
    );
  });
}

async function openPglite(dataDir: string | undefined, options: OpenOptions): Promise<Db> {
  if (dataDir) await initialisePglite(dataDir);
  const db = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    ...(options.sharedBuffers ? { postgresqlconf: `shared_buffers = ${options.sharedBuffers}` } : {}),
    parsers: PGLITE_PARSERS,
  });
  await db.waitReady;
  // Every statement goes through the session (pglite-session.ts): prepared once, one round trip
  // after; its lock is the database's, so the upkeep waits for transactions like any caller.
  // Prepared statements plan as in any PostgreSQL (plan_cache_mode auto; see pglite-session.ts).
  await db.exec(`set default_statistics_target = ${STATISTICS_TARGET}; set plan_cache_mode = auto`);
  const session = pgliteSession(db);
  // No autovacuum in PGlite: autovacuum's work is done by the process (pglite-upkeep.ts).
  const interval = options.upkeepIntervalMs === undefined ? UPKEEP_INTERVAL_MS : options.upkeepIntervalMs;
  const stopUpkeep =
    interval === null
      ? () => undefined
      : keepUp(session, interval, (error) => process.emitWarning(`store upkeep failed: ${error.message}`));
  return {
    driver: 'pglite',
    ...session,
    close: () => {
      stopUpkeep();
      return db.close();
    },
  };
}

async function openPostgres(url: string): Promise<Db> {
  const typeParsers = {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === INT8) return (v: string) => Number(v);
      if (oid === DATE) return (v: string) => v;
      return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
    }) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, max: 10, types: typeParsers });
  pool.on('error', () => undefined); // an idle client's error must not crash the process; the next query reports it
  await pool.query('select 1');
  return {
    driver: 'postgres',
    async query<T>(text: string, params: unknown[] = []) {
      return (await pool.query(text, params)).rows as T[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({
          async query<T>(text: string, params: unknown[] = []) {
            return (await client.query(text, params)).rows as T[];
          },
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

export function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  throw new Error(`Expected a timestamp, got ${String(value)}`);
}

export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}
