/** Accepted events (once per id) and their delivery to Temporal: a transactional outbox. */
import { storableText } from '../domain/text-guard';
import { iso, type Sql } from './db';

export interface StoredEvent {
  seq: number;
  id: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
  dispatchAttempts: number;
}

type Row = {
  seq: number;
  id: string;
  type: string;
  at: Date;
  data: Record<string, unknown>;
  dispatch_attempts: number;
};
const toEvent = (r: Row): StoredEvent => ({
  seq: r.seq,
  id: r.id,
  type: r.type,
  at: iso(r.at),
  data: r.data,
  dispatchAttempts: r.dispatch_attempts,
});

/** Inserts the event; false when one with this id was already accepted. */
export async function insertEvent(
  sql: Sql,
  e: { id: string; type: string; at: string; data: unknown },
  receivedAt: string,
): Promise<boolean> {
  const rows = await sql.query(
    `insert into events (id, type, at, data, received_at) values ($1, $2, $3, $4::jsonb, $5)
     on conflict (id) do nothing returning id`,
    [e.id, e.type, e.at, JSON.stringify(e.data), receivedAt],
  );
  return rows.length === 1;
}

export async function existingEventIds(sql: Sql, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await sql.query<{ id: string }>('select id from events where id = any($1::text[])', [ids]);
  return new Set(rows.map((r) => r.id));
}

export async function undispatchedEvents(sql: Sql, limit: number): Promise<StoredEvent[]> {
  const rows = await sql.query<Row>(
    'select seq, id, type, at, data, dispatch_attempts from events where dispatched_at is null order by seq limit $1',
    [limit],
  );
  return rows.map(toEvent);
}

/** Marks events delivered (one statement for a whole batch). */
export async function markDispatched(sql: Sql, ids: readonly string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await sql.query('update events set dispatched_at = $2, last_error = null where id = any($1::text[])', [
    ids,
    at,
  ]);
}

/** The error is whatever Temporal or the network said: kept readable even if it holds a NUL. */
export async function markDispatchFailed(sql: Sql, id: string, error: string): Promise<void> {
  await sql.query(
    'update events set dispatch_attempts = dispatch_attempts + 1, last_error = $2 where id = $1',
    [id, storableText(error).slice(0, 2000)],
  );
}

export async function countUndispatched(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ n: number }>(
    'select count(*)::int8 as n from events where dispatched_at is null',
  );
  return Number(row?.n ?? 0);
}
