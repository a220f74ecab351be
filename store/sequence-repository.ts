/** The projection of each sequence that the API and the simulator read (the workflow owns the truth). */
import { iso, isoOrNull, type Sql } from './db';

export interface SequenceProjection {
  id: string;
  type: string;
  subjectId: string;
  contactId: string;
  status: 'running' | 'paused' | 'completed';
  stage: string | null;
  outcome: string | null;
  pausedReason: string | null;
  nextStep: string | null;
  nextAt: string | null;
  steps: { id: string; at: string; status: string }[];
  escalation: number;
  startedAt: string;
  updatedAt: string;
  completedAt: string | null;
}

type Row = Record<string, unknown>;
const toProjection = (r: Row): SequenceProjection => ({
  id: String(r.id),
  type: String(r.type),
  subjectId: String(r.subject_id),
  contactId: String(r.contact_id),
  status: r.status as SequenceProjection['status'],
  stage: (r.stage as string | null) ?? null,
  outcome: (r.outcome as string | null) ?? null,
  pausedReason: (r.paused_reason as string | null) ?? null,
  nextStep: (r.next_step as string | null) ?? null,
  nextAt: isoOrNull(r.next_at),
  steps: (r.steps as SequenceProjection['steps']) ?? [],
  escalation: Number(r.escalation ?? 0),
  startedAt: iso(r.started_at),
  updatedAt: iso(r.updated_at),
  completedAt: isoOrNull(r.completed_at),
});

/** Records a projection; false when a later one was already recorded (the store keeps the latest). */
export async function saveSequence(sql: Sql, s: Omit<SequenceProjection, 'completedAt'>): Promise<boolean> {
  const saved = await sql.query(
    `insert into sequences (id, type, subject_id, contact_id, status, stage, outcome, paused_reason, next_step, next_at, steps,
       escalation, started_at, updated_at, completed_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, case when $5 = 'completed' then $14::timestamptz end)
     on conflict (id) do update set status = excluded.status, stage = excluded.stage, outcome = excluded.outcome,
       paused_reason = excluded.paused_reason, next_step = excluded.next_step, next_at = excluded.next_at,
       steps = excluded.steps, escalation = greatest(sequences.escalation, excluded.escalation),
       updated_at = excluded.updated_at, completed_at = excluded.completed_at
     where sequences.updated_at <= excluded.updated_at
     returning id`,
    [
      s.id,
      s.type,
      s.subjectId,
      s.contactId,
      s.status,
      s.stage,
      s.outcome,
      s.pausedReason,
      s.nextStep,
      s.nextAt,
      JSON.stringify(s.steps),
      s.escalation,
      s.startedAt,
      s.updatedAt,
    ],
  );
  return saved.length > 0;
}

export async function getSequence(sql: Sql, id: string): Promise<SequenceProjection | undefined> {
  const [row] = await sql.query<Row>('select * from sequences where id = $1', [id]);
  return row ? toProjection(row) : undefined;
}

/** Every sequence of one type about one subject, newest first (a renewed card has several). */
export async function sequencesOfSubject(
  sql: Sql,
  type: string,
  subjectId: string,
): Promise<SequenceProjection[]> {
  const rows = await sql.query<Row>(
    'select * from sequences where type = $1 and subject_id = $2 order by started_at desc, id desc',
    [type, subjectId],
  );
  return rows.map(toProjection);
}

export async function allSequences(sql: Sql): Promise<SequenceProjection[]> {
  return (await sql.query<Row>('select * from sequences order by started_at, id')).map(toProjection);
}

/** Other live sequences of a contact whose next step is `step`, due between two instants. */
export async function sequencesDueForStep(
  sql: Sql,
  contactId: string,
  step: string,
  from: string,
  to: string,
  excludeId: string,
): Promise<SequenceProjection[]> {
  const rows = await sql.query<Row>(
    `select * from sequences where contact_id = $1 and status = 'running' and next_step = $2
       and next_at >= $3 and next_at < $4 and id <> $5 order by subject_id`,
    [contactId, step, from, to, excludeId],
  );
  return rows.map(toProjection);
}

/** Highest escalation reached on the contact's unpaid invoices (marketing stops at a level). */
export async function openEscalation(sql: Sql, contactId: string): Promise<number> {
  const [row] = await sql.query<{ level: number | null }>(
    `select max(s.escalation) as level from sequences s join invoices i on i.id = s.subject_id
     where s.contact_id = $1 and i.status = 'open'`,
    [contactId],
  );
  return Number(row?.level ?? 0);
}

/**
 * The invoice sequence a customer's reply is about, while it still runs: the one of the message
 * replied to when it is known, else the contact's running invoice sequence messaged most recently.
 * Read from the projection: the workflow itself decides what the reply does, and a sequence
 * that ended meanwhile is answered "not found" when the reply reaches it (the dispatcher then
 * opens a contact-level task instead).
 */
export async function runningInvoiceSequenceFor(
  sql: Sql,
  contactId: string,
  inReplyTo: string | null,
): Promise<{ id: string; invoiceId: string } | undefined> {
  const rows = await sql.query<{ id: string; subject_id: string }>(
    `select s.id, s.subject_id from sequences s
      where s.contact_id = $1 and s.type = 'invoice-dunning' and s.status <> 'completed'
      order by coalesce(s.id = (select m.sequence_id from messages m where m.id = $2::uuid and m.contact_id = $1), false) desc,
        (select max(coalesce(m.sent_at, m.planned_at)) from messages m where m.sequence_id = s.id) desc nulls last,
        s.started_at desc, s.id
      limit 1`,
    [contactId, inReplyTo],
  );
  const row = rows[0];
  return row ? { id: row.id, invoiceId: row.subject_id } : undefined;
}
