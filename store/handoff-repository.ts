/**
 * Hand-off tasks: the queue agents work from (open -> claimed -> resolved), and each task's
 * timeline. The workflow that opened a task owns its state; these rows are what it reports, for
 * the API, the console and the simulator's output.
 */
import { iso, isoOrNull, type Sql } from './db';

export type HandoffStatus = 'open' | 'claimed' | 'resolved';

export interface Handoff {
  id: number;
  sequenceId: string;
  contactId: string;
  subjectKind: string;
  subjectIds: string[];
  /** Why, as a code with its own service level (`dunning`, `dispute`, `do_not_contact`). */
  reasonCode: string;
  /** Why, in words. */
  reason: string;
  at: string;
  status: HandoffStatus;
  owner: string | null;
  dueBy: string | null;
  resolution: string | null;
  resolvedAt: string | null;
}

export interface HandoffEvent {
  id: number;
  handoffId: number;
  at: string;
  type: string;
  by: string;
  data: Record<string, unknown>;
}

export type NewHandoff = Pick<Handoff, 'sequenceId' | 'contactId' | 'subjectIds' | 'reason' | 'at'> &
  Partial<Pick<Handoff, 'subjectKind' | 'reasonCode' | 'dueBy'>>;

/** Records a hand-off once (a retried activity with the same instant finds the first row). */
export async function createHandoff(sql: Sql, h: NewHandoff): Promise<void> {
  await sql.query(
    `insert into handoffs (sequence_id, contact_id, subject_ids, reason, at, subject_kind, reason_code, due_by)
     values ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)
     on conflict (sequence_id, reason, at) do nothing`,
    [
      h.sequenceId,
      h.contactId,
      JSON.stringify(h.subjectIds),
      h.reason,
      h.at,
      h.subjectKind ?? 'invoice',
      h.reasonCode ?? 'dunning',
      h.dueBy ?? null,
    ],
  );
}

/**
 * Opens a task for the sequence, or answers the one still unresolved (a second trigger joins
 * it). Idempotent: a retry finds the row its first attempt wrote.
 */
export async function openHandoffTask(sql: Sql, h: NewHandoff): Promise<Handoff> {
  const existing = await unresolvedTaskOf(sql, h.sequenceId);
  if (existing) return existing;
  await createHandoff(sql, h);
  const task = await unresolvedTaskOf(sql, h.sequenceId);
  if (!task) throw new Error(`hand-off of ${h.sequenceId} was not recorded`);
  await addHandoffEvent(sql, {
    handoffId: task.id,
    at: h.at,
    type: 'opened',
    by: 'relance',
    data: { reasonCode: task.reasonCode, reason: task.reason },
    key: `${h.sequenceId}|opened|${task.id}`,
  });
  return task;
}

/** The sequence's task not yet resolved, if any. */
export async function unresolvedTaskOf(sql: Sql, sequenceId: string): Promise<Handoff | undefined> {
  const [row] = await sql.query<Row>(
    `select * from handoffs where sequence_id = $1 and status <> 'resolved' order by id desc limit 1`,
    [sequenceId],
  );
  return row ? toHandoff(row) : undefined;
}

export interface TaskChange {
  status?: HandoffStatus;
  owner?: string | null;
  resolution?: string;
  at: string;
}

/** Changes a task's state and adds the event saying why, once per key (retries find the first). */
export async function changeHandoffTask(
  sql: Sql,
  id: number,
  change: TaskChange,
  event: Omit<HandoffEvent, 'id' | 'handoffId'> & { key: string },
): Promise<void> {
  const added = await addHandoffEvent(sql, { ...event, handoffId: id });
  if (!added) return;
  const resolved = change.status === 'resolved';
  await sql.query(
    `update handoffs set
       status = coalesce($2, status),
       owner = case when $3::boolean then $4 else owner end,
       resolution = coalesce($5, resolution),
       resolved_at = case when $6::boolean then $7::timestamptz else resolved_at end,
       updated_at = $7
     where id = $1`,
    [
      id,
      change.status ?? null,
      change.owner !== undefined,
      change.owner ?? null,
      change.resolution ?? null,
      resolved,
      change.at,
    ],
  );
}

/** Adds an event to a task's timeline; false when its key was already recorded. */
export async function addHandoffEvent(
  sql: Sql,
  e: Omit<HandoffEvent, 'id'> & { key?: string },
): Promise<boolean> {
  const rows = await sql.query<{ id: number }>(
    `insert into handoff_events (handoff_id, at, type, by, data, key) values ($1, $2, $3, $4, $5::jsonb, $6)
     on conflict (key) do nothing returning id`,
    [e.handoffId, e.at, e.type, e.by, JSON.stringify(e.data), e.key ?? null],
  );
  return rows.length > 0;
}

type Row = {
  id: number | string;
  sequence_id: string;
  contact_id: string;
  subject_kind: string;
  subject_ids: string[];
  reason_code: string;
  reason: string;
  at: Date;
  status: HandoffStatus;
  owner: string | null;
  due_by: Date | null;
  resolution: string | null;
  resolved_at: Date | null;
};
const toHandoff = (r: Row): Handoff => ({
  id: Number(r.id),
  sequenceId: r.sequence_id,
  contactId: r.contact_id,
  subjectKind: r.subject_kind,
  subjectIds: r.subject_ids,
  reasonCode: r.reason_code,
  reason: r.reason,
  at: iso(r.at),
  status: r.status,
  owner: r.owner,
  dueBy: isoOrNull(r.due_by),
  resolution: r.resolution,
  resolvedAt: isoOrNull(r.resolved_at),
});

export interface HandoffFilter {
  subjectId?: string;
  status?: HandoffStatus;
  owner?: string;
}

export async function listHandoffs(sql: Sql, filter: HandoffFilter = {}): Promise<Handoff[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (filter.subjectId) add('subject_ids @> ?::jsonb', JSON.stringify([filter.subjectId]));
  if (filter.status) add('status = ?', filter.status);
  if (filter.owner) add('owner = ?', filter.owner);
  const rows = await sql.query<Row>(
    `select * from handoffs ${where.length ? `where ${where.join(' and ')}` : ''} order by at, id`,
    params,
  );
  return rows.map(toHandoff);
}

/** One task; `lock` holds its row to the end of the transaction (actions on store-held tasks). */
export async function getHandoff(sql: Sql, id: number, lock = false): Promise<Handoff | undefined> {
  const [row] = await sql.query<Row>(`select * from handoffs where id = $1${lock ? ' for update' : ''}`, [
    id,
  ]);
  return row ? toHandoff(row) : undefined;
}

export async function handoffEvents(sql: Sql, id: number): Promise<HandoffEvent[]> {
  const rows = await sql.query<{
    id: number | string;
    handoff_id: number | string;
    at: Date;
    type: string;
    by: string;
    data: Record<string, unknown>;
  }>('select * from handoff_events where handoff_id = $1 order by at, id', [id]);
  return rows.map((r) => ({
    id: Number(r.id),
    handoffId: Number(r.handoff_id),
    at: iso(r.at),
    type: r.type,
    by: r.by,
    data: r.data,
  }));
}

export async function handoffsOfContact(sql: Sql, contactId: string): Promise<Handoff[]> {
  const rows = await sql.query<Row>('select * from handoffs where contact_id = $1 order by at, id', [
    contactId,
  ]);
  return rows.map(toHandoff);
}

/**
 * The labels of the customers' replies on each task's timeline (events `reply`, data.labels), in
 * the order first seen: what the task shows beside its reason ("already_paid", "dispute").
 */
export async function replyLabelsOfTasks(sql: Sql, ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (ids.length === 0) return out;
  const rows = await sql.query<{ handoff_id: number | string; labels: unknown }>(
    `select handoff_id, data->'labels' as labels from handoff_events
      where type = 'reply' and handoff_id = any($1::bigint[]) order by handoff_id, id`,
    [ids],
  );
  for (const row of rows) {
    const id = Number(row.handoff_id);
    const labels = out.get(id) ?? [];
    for (const label of Array.isArray(row.labels) ? row.labels : [])
      if (typeof label === 'string' && !labels.includes(label)) labels.push(label);
    out.set(id, labels);
  }
  return out;
}
