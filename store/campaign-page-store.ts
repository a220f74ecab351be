/**
 * What one page of a campaign run reads and writes, for up to 1,000 recipients at a time: the same
 * facts the one-by-one send path reads per contact (store/message-history.ts, consents,
 * suppressions, open escalation), each gathered by one set-based query, and the ledger rows of
 * the page written and updated in bulk.
 */
import { randomUUID } from 'node:crypto';
import type { Channel, ConsentRecord, PolicyCheck, Purpose, SentRecord } from '../domain/policy/types';
import { consentOf, toContact, type Contact, type ConsentRow, type ContactRow } from './contact-repository';
import { iso, type Sql } from './db';
import { toEntry, type LedgerEntry, type LedgerStatus, type Row } from './ledger-repository';
import { addressHash, normalize } from './suppression-repository';

/**
 * A page-sized read as one JSON text (`json_agg`) rather than 1,000 rows: PGlite's driver decodes
 * each field of each row in JavaScript (1,000 contacts took about 17 ms), where one text and
 * `JSON.parse` take about 7. Timestamps come as ISO text with their offset.
 */
async function jsonRows<T>(sql: Sql, text: string, params: unknown[]): Promise<T[]> {
  const [row] = await sql.query<{ rows: string | null }>(text, params);
  return JSON.parse(row?.rows ?? '[]') as T[];
}

/** The page's contacts, locked in id order until the transaction ends (sends to one contact queue). */
export async function lockContacts(sql: Sql, ids: readonly string[]): Promise<Contact[]> {
  const rows = await jsonRows<ContactRow>(
    sql,
    `with page as (select * from contacts where id = any($1::text[]) order by id for update)
     select json_agg(page order by page.id)::text as rows from page`,
    [ids],
  );
  return rows.map(toContact);
}

export async function consentsOf(sql: Sql, ids: readonly string[]): Promise<Map<string, ConsentRecord[]>> {
  const rows = await jsonRows<ConsentRow & { contact_id: string }>(
    sql,
    `select json_agg(c order by c.received_at, c.id)::text as rows from consents c
     where contact_id = any($1::text[])`,
    [ids],
  );
  const byContact = new Map<string, ConsentRecord[]>();
  for (const r of rows) {
    const list = byContact.get(r.contact_id) ?? [];
    byContact.set(r.contact_id, list);
    // The same record the one-by-one read gives, less what the policy never reads.
    const { recordedAt: _recorded, eventId: _event, ...record } = consentOf(r);
    list.push(record);
  }
  return byContact;
}

/** The addresses among `addresses` that are suppressed on their channel (plain or as a hash). */
export async function suppressedAmong(
  sql: Sql,
  addresses: readonly { channel: Channel; address: string }[],
): Promise<Set<string>> {
  const forms = addresses.flatMap((a) => [
    { ...a, stored: normalize(a.channel, a.address) },
    { ...a, stored: addressHash(a.channel, a.address) },
  ]);
  const rows = await sql.query<{ channel: Channel; address: string }>(
    `select channel, address from suppressions
     where (channel = 'email' and address = any($1::text[])) or (channel = 'sms' and address = any($2::text[]))`,
    [
      forms.filter((f) => f.channel === 'email').map((f) => f.stored),
      forms.filter((f) => f.channel === 'sms').map((f) => f.stored),
    ],
  );
  const hit = new Set(rows.map((r) => `${r.channel}|${r.address}`));
  return new Set(
    forms.filter((f) => hit.has(`${f.channel}|${f.stored}`)).map((f) => `${f.channel}|${f.address}`),
  );
}

/** Per contact, messages sent (or being sent) since `since`: what caps count (as sentHistory). */
export async function historiesOf(
  sql: Sql,
  ids: readonly string[],
  since: string,
): Promise<Map<string, SentRecord[]>> {
  const rows = await sql.query<{
    contact_id: string;
    at: Date;
    channel: Channel;
    purpose: Purpose;
    dedup_key: string;
  }>(
    `select contact_id, coalesce(sent_at, decided_at, planned_at) as at, channel, purpose, dedup_key from messages
     where contact_id = any($1::text[]) and status in ('sent', 'sending') and coalesce(sent_at, decided_at, planned_at) >= $2`,
    [ids, since],
  );
  const byContact = new Map<string, SentRecord[]>();
  for (const r of rows) {
    const list = byContact.get(r.contact_id) ?? [];
    byContact.set(r.contact_id, list);
    list.push({ at: iso(r.at), channel: r.channel, purpose: r.purpose, dedupKey: r.dedup_key });
  }
  return byContact;
}

/** Of these dedup keys, the ones ever sent, with one of their sends (as sentWithDedupKey). */
export async function earlierSends(sql: Sql, dedupKeys: readonly string[]): Promise<Map<string, SentRecord>> {
  const rows = await sql.query<{ at: Date; channel: Channel; purpose: Purpose; dedup_key: string }>(
    `select distinct on (dedup_key) coalesce(sent_at, decided_at) as at, channel, purpose, dedup_key from messages
     where dedup_key = any($1::text[]) and status in ('sent', 'sending') order by dedup_key, created_at`,
    [dedupKeys],
  );
  return new Map(
    rows.map((r) => [
      r.dedup_key,
      { at: iso(r.at), channel: r.channel, purpose: r.purpose, dedupKey: r.dedup_key },
    ]),
  );
}

/** Per contact, the highest escalation of its open invoices' sequences (as openEscalation). */
export async function escalationsOf(sql: Sql, ids: readonly string[]): Promise<Map<string, number>> {
  const rows = await sql.query<{ contact_id: string; level: number | null }>(
    `select s.contact_id, max(s.escalation) as level from sequences s join invoices i on i.id = s.subject_id
     where s.contact_id = any($1::text[]) and i.status = 'open' group by s.contact_id`,
    [ids],
  );
  return new Map(rows.map((r) => [r.contact_id, Number(r.level ?? 0)]));
}

export async function rowsByKey(sql: Sql, keys: readonly string[]): Promise<Map<string, LedgerEntry>> {
  const rows = await sql.query<Row>('select * from messages where idempotency_key = any($1::text[])', [keys]);
  return new Map(rows.map(toEntry).map((e) => [e.idempotencyKey, e]));
}

/** A ledger row of a run, as the page decided it. */
export interface RunRow {
  idempotencyKey: string;
  dedupKey: string;
  sequenceId: string;
  runId: string;
  channel: Channel;
  contactId: string;
  recipient: string | null;
  subjectIds: string[];
  template: string;
  locale: string | null;
  plannedAt: string;
  status: LedgerStatus;
  reason: string | null;
  decision: PolicyCheck[];
  deferredUntil: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  /** Why a row failed before reaching a provider (a template that does not render). */
  error?: string | null;
}

/** A row as written: what the page decided and rendered, with the ledger id it has. */
export type WrittenRow = RunRow & { id: string };

const RUN_ROW_FIELDS = `from jsonb_to_recordset($1::jsonb) as r(id uuid, "idempotencyKey" text, "dedupKey" text,
       "sequenceId" text, channel text, "contactId" text, recipient text, "subjectIds" jsonb, template text, locale text,
       "plannedAt" timestamptz, status text, reason text, decision jsonb, "deferredUntil" timestamptz, subject text,
       text text, html text, error text, "runId" text)`;

/**
 * Writes the page's rows, bodies included, in at most two statements: the rows the run has not
 * written yet are inserted with ids made here (no `on conflict`, no `returning`: some 10 ms less a
 * page of 1,000); the rows it has (`existing`, read by idempotency key in the same transaction,
 * whose contacts it holds locked) are decided again in place, one more attempt. Should a row be
 * there after all, the insert fails on its key, the transaction with it, and the retried page finds
 * the row by key.
 */
export async function upsertRunRows(
  sql: Sql,
  rows: readonly RunRow[],
  now: string,
  existing: ReadonlyMap<string, { id: string }> = new Map(),
): Promise<WrittenRow[]> {
  const written = rows.map((row): WrittenRow => ({
    ...row,
    id: existing.get(row.idempotencyKey)?.id ?? randomUUID(),
  }));
  const fresh = written.filter((row) => !existing.has(row.idempotencyKey));
  const again = written.filter((row) => existing.has(row.idempotencyKey));
  if (fresh.length > 0)
    await sql.query(
      `insert into messages (id, idempotency_key, dedup_key, sequence_id, sequence_type, step, channel, purpose, contact_id,
         recipient, subject_ids, template, locale, planned_at, status, reason, decision, decided_at, deferred_until,
         subject, body_text, body_html, error, attempts, run_id, created_at, updated_at)
       select r.id, r."idempotencyKey", r."dedupKey", r."sequenceId", 'campaign', 'offer', r.channel, 'marketing', r."contactId",
         r.recipient, r."subjectIds", r.template, r.locale, r."plannedAt", r.status, r.reason, r.decision, $2::timestamptz,
         r."deferredUntil", r.subject, r.text, r.html, r.error, 1, r."runId", $2::timestamptz, $2::timestamptz
       ${RUN_ROW_FIELDS}`,
      [JSON.stringify(fresh), now],
    );
  if (again.length > 0)
    await sql.query(
      `update messages m set status = r.status, reason = r.reason, decision = r.decision, decided_at = $2::timestamptz,
         deferred_until = r."deferredUntil", recipient = r.recipient, subject = r.subject, body_text = r.text,
         body_html = r.html, error = r.error, attempts = m.attempts + 1, updated_at = $2::timestamptz
       ${RUN_ROW_FIELDS}
       where m.id = r.id`,
      [JSON.stringify(again), now],
    );
  return written;
}

export interface RunResult {
  id: string;
  status: 'sent' | 'failed' | 'deferred' | 'sending';
  reason?: string | null;
  error?: string | null;
  provider?: string | null;
  providerId?: string | null;
}

/** Records what the providers answered for the page, in one statement. */
export async function recordRunResults(sql: Sql, results: readonly RunResult[], now: string): Promise<void> {
  if (results.length === 0) return;
  await sql.query(
    `update messages m set status = r.status, reason = coalesce(r.reason, m.reason), error = r.error,
       provider = coalesce(r.provider, m.provider), provider_id = coalesce(r."providerId", m.provider_id),
       sent_at = case when r.status = 'sent' then $2::timestamptz else m.sent_at end,
       deferred_until = case when r.status = 'deferred' then null else m.deferred_until end, updated_at = $2::timestamptz
     from jsonb_to_recordset($1::jsonb) as r(id uuid, status text, reason text, error text, provider text, "providerId" text)
     where m.id = r.id`,
    [JSON.stringify(results), now],
  );
}

/**
 * Recipients of the run still waiting: rows deferred to an instant now past (or to none: the
 * provider never got them), and rows left `sending` by an attempt that died; in contact id order.
 */
export async function dueContacts(sql: Sql, runId: string, now: string, limit: number): Promise<string[]> {
  const rows = await sql.query<{ contact_id: string }>(
    `select distinct contact_id from messages where run_id = $1
       and (status = 'sending' or (status = 'deferred' and (deferred_until is null or deferred_until <= $2)))
     order by contact_id limit $3`,
    [runId, now, limit],
  );
  return rows.map((r) => r.contact_id);
}

/** When the run's next waiting recipient is due: `now` when one already is, null when none waits. */
export async function nextDueAt(sql: Sql, runId: string, now: string): Promise<string | null> {
  const [row] = await sql.query<{ at: Date | null; due: boolean | null }>(
    `select min(deferred_until) filter (where deferred_until is not null) as at,
       bool_or(status = 'sending' or deferred_until is null or deferred_until <= $2) as due
     from messages where run_id = $1 and status in ('deferred', 'sending')`,
    [runId, now],
  );
  if (row?.due) return now;
  return row?.at ? iso(row.at) : null;
}

/** Closes the run's waiting rows (the run was paused or cancelled): they will not leave. */
export async function closeWaitingRunRows(sql: Sql, runId: string, now: string): Promise<number> {
  const rows = await sql.query(
    `update messages set status = 'suppressed', reason = 'paused', deferred_until = null, decided_at = $2, updated_at = $2
     where run_id = $1 and status = 'deferred' returning id`,
    [runId, now],
  );
  return rows.length;
}
