/**
 * The message ledger: one row per message attempt. A retried activity finds its row by
 * idempotency key and never sends twice; the policy engine reads the contact's history from it.
 */
import type { Channel, PolicyCheck, Purpose } from '../domain/policy/types';
import { iso, isoOrNull, type Sql } from './db';

export type LedgerStatus = 'deferred' | 'sending' | 'sent' | 'suppressed' | 'failed';

export interface LedgerEntry {
  id: string;
  idempotencyKey: string;
  dedupKey: string;
  sequenceId: string | null;
  sequenceType: string | null;
  step: string | null;
  channel: Channel;
  purpose: Purpose;
  contactId: string;
  recipient: string | null;
  subjectIds: string[];
  template: string | null;
  locale: string | null;
  status: LedgerStatus;
  reason: string | null;
  decision: PolicyCheck[] | null;
  plannedAt: string;
  decidedAt: string | null;
  deferredUntil: string | null;
  sentAt: string | null;
  provider: string | null;
  providerId: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  attempts: number;
  error: string | null;
  deliveryStatus: string | null;
  deliveryAt: string | null;
  fallbackOf: string | null;
  /** A campaign run's id (`<campaignId>/<YYYY-MM-DD>`) on the messages of that run. */
  runId?: string | null;
  createdAt: string;
}

export interface Row {
  [key: string]: unknown;
}

const str = (v: unknown): string | null =>
  typeof v === 'string' ? v : v === null || v === undefined ? null : JSON.stringify(v);

export const toEntry = (r: Row): LedgerEntry => ({
  id: String(r.id),
  idempotencyKey: String(r.idempotency_key),
  dedupKey: String(r.dedup_key),
  sequenceId: str(r.sequence_id),
  sequenceType: str(r.sequence_type),
  step: str(r.step),
  channel: r.channel as Channel,
  purpose: r.purpose as Purpose,
  contactId: String(r.contact_id),
  recipient: str(r.recipient),
  subjectIds: (r.subject_ids as string[] | null) ?? [],
  template: str(r.template),
  locale: str(r.locale),
  status: r.status as LedgerStatus,
  reason: str(r.reason),
  decision: (r.decision as PolicyCheck[] | null) ?? null,
  plannedAt: iso(r.planned_at),
  decidedAt: isoOrNull(r.decided_at),
  deferredUntil: isoOrNull(r.deferred_until),
  sentAt: isoOrNull(r.sent_at),
  provider: str(r.provider),
  providerId: str(r.provider_id),
  subject: str(r.subject),
  text: str(r.body_text),
  html: str(r.body_html),
  attempts: Number(r.attempts ?? 0),
  error: str(r.error),
  deliveryStatus: str(r.delivery_status),
  deliveryAt: isoOrNull(r.delivery_at),
  fallbackOf: str(r.fallback_of),
  runId: str(r.run_id),
  createdAt: iso(r.created_at),
});

export async function findByIdempotencyKey(sql: Sql, key: string): Promise<LedgerEntry | undefined> {
  const [row] = await sql.query<Row>('select * from messages where idempotency_key = $1', [key]);
  return row ? toEntry(row) : undefined;
}

export async function getMessage(sql: Sql, id: string): Promise<LedgerEntry | undefined> {
  const [row] = await sql.query<Row>('select * from messages where id = $1', [id]);
  return row ? toEntry(row) : undefined;
}

export interface NewLedgerEntry {
  idempotencyKey: string;
  dedupKey: string;
  sequenceId: string | null;
  sequenceType: string | null;
  step: string | null;
  channel: Channel;
  purpose: Purpose;
  contactId: string;
  recipient: string | null;
  subjectIds: string[];
  template: string | null;
  locale: string | null;
  plannedAt: string;
  fallbackOf?: string | null;
}

export interface LedgerUpdate {
  status: LedgerStatus;
  reason?: string | null;
  decision?: PolicyCheck[] | null;
  decidedAt?: string;
  deferredUntil?: string | null;
  sentAt?: string | null;
  provider?: string | null;
  providerId?: string | null;
  subject?: string | null;
  text?: string | null;
  html?: string | null;
  error?: string | null;
  subjectIds?: string[];
  recipient?: string | null;
  /** A new decision on an existing row: one more attempt. */
  countAttempt?: boolean;
}

/** Creates the attempt's row in its first state; returns it (or the existing one for this key). */
export async function insertAttempt(sql: Sql, e: NewLedgerEntry, first: LedgerUpdate): Promise<LedgerEntry> {
  const [row] = await sql.query<Row>(
    `insert into messages (idempotency_key, dedup_key, sequence_id, sequence_type, step, channel, purpose, contact_id,
       recipient, subject_ids, template, locale, planned_at, fallback_of, status, reason, decision, decided_at,
       deferred_until, subject, body_text, body_html, attempts)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17::jsonb, $18, $19, $20, $21, $22, 1)
     on conflict (idempotency_key) do update set attempts = messages.attempts + 1
     returning *`,
    [
      e.idempotencyKey,
      e.dedupKey,
      e.sequenceId,
      e.sequenceType,
      e.step,
      e.channel,
      e.purpose,
      e.contactId,
      first.recipient ?? e.recipient,
      JSON.stringify(first.subjectIds ?? e.subjectIds),
      e.template,
      e.locale,
      e.plannedAt,
      e.fallbackOf ?? null,
      first.status,
      first.reason ?? null,
      JSON.stringify(first.decision ?? null),
      first.decidedAt ?? null,
      first.deferredUntil ?? null,
      first.subject ?? null,
      first.text ?? null,
      first.html ?? null,
    ],
  );
  if (!row) throw new Error(`ledger insert returned nothing for ${e.idempotencyKey}`);
  return toEntry(row);
}

/** Moves an attempt to its next state; fields not given keep their value. */
export async function updateAttempt(sql: Sql, id: string, u: LedgerUpdate, at: string): Promise<void> {
  await sql.query(
    `update messages set status = $2,
       reason = case when $3::boolean then $4 else reason end,
       decision = coalesce($5::jsonb, decision),
       decided_at = coalesce($6, decided_at),
       deferred_until = case when $7::boolean then $8::timestamptz else deferred_until end,
       sent_at = coalesce($9, sent_at),
       provider = coalesce($10, provider),
       provider_id = coalesce($11, provider_id),
       subject = coalesce($12, subject),
       body_text = coalesce($13, body_text),
       body_html = coalesce($14, body_html),
       error = case when $15::boolean then $16 else error end,
       subject_ids = coalesce($17::jsonb, subject_ids),
       recipient = coalesce($18, recipient),
       updated_at = $19,
       attempts = attempts + case when $20::boolean then 1 else 0 end
     where id = $1`,
    [
      id,
      u.status,
      u.reason !== undefined,
      u.reason ?? null,
      u.decision ? JSON.stringify(u.decision) : null,
      u.decidedAt ?? null,
      u.deferredUntil !== undefined,
      u.deferredUntil ?? null,
      u.sentAt ?? null,
      u.provider ?? null,
      u.providerId ?? null,
      u.subject ?? null,
      u.text ?? null,
      u.html ?? null,
      u.error !== undefined,
      u.error ?? null,
      u.subjectIds ? JSON.stringify(u.subjectIds) : null,
      u.recipient ?? null,
      at,
      u.countAttempt ?? false,
    ],
  );
}

/** Messages that mention a subject (an invoice id), oldest first. */
export async function messagesAbout(sql: Sql, subjectId: string): Promise<LedgerEntry[]> {
  const rows = await sql.query<Row>(
    `select * from messages where subject_ids @> $1::jsonb order by planned_at, created_at`,
    [JSON.stringify([subjectId])],
  );
  return rows.map(toEntry);
}

export async function allMessages(sql: Sql): Promise<LedgerEntry[]> {
  const rows = await sql.query<Row>(
    'select * from messages order by coalesce(sent_at, decided_at, planned_at), created_at',
  );
  return rows.map(toEntry);
}

/**
 * Closes a sequence's attempts still waiting ("deferred") that will never leave: the sequence
 * ended or paused, or the provider gave up. Rows already sent or in flight are left alone.
 */
export async function closeWaitingAttempts(
  sql: Sql,
  q: { sequenceId: string; step?: string; channel?: Channel },
  close: { status: 'suppressed' | 'failed'; reason: string; detail?: string; at: string },
): Promise<number> {
  const rows = await sql.query(
    `update messages set status = $4, reason = $5, error = coalesce($6, error), decided_at = $7, deferred_until = null, updated_at = $7
     where sequence_id = $1 and ($2::text is null or step = $2) and ($3::text is null or channel = $3)
       and (status = 'deferred' or ($4 = 'failed' and status = 'sending'))
     returning id`,
    [
      q.sequenceId,
      q.step ?? null,
      q.channel ?? null,
      close.status,
      close.reason,
      close.detail ?? null,
      close.at,
    ],
  );
  return rows.length;
}
