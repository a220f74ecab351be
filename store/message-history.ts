/**
 * What the policy engine reads of the ledger: a contact's recent sends (caps), earlier sends of a
 * dedup key (however long ago), and a same-day message that already covered an invoice (merge).
 */
import type { Channel, Purpose, SentRecord } from '../domain/policy/types';
import { iso, type Sql } from './db';
import { toEntry, type LedgerEntry, type Row } from './ledger-repository';

/** Messages sent (or being sent) to a contact since an instant: what caps and dedup count. */
export async function sentHistory(sql: Sql, contactId: string, since: string): Promise<SentRecord[]> {
  const rows = await sql.query<{ at: Date; channel: Channel; purpose: Purpose; dedup_key: string }>(
    `select coalesce(sent_at, decided_at, planned_at) as at, channel, purpose, dedup_key from messages
     where contact_id = $1 and status in ('sent', 'sending') and coalesce(sent_at, decided_at, planned_at) >= $2`,
    [contactId, since],
  );
  return rows.map((r) => ({ at: iso(r.at), channel: r.channel, purpose: r.purpose, dedupKey: r.dedup_key }));
}

/** Was this dedup key ever sent, whenever it was? */
export async function sentWithDedupKey(sql: Sql, dedupKey: string): Promise<SentRecord | undefined> {
  const [row] = await sql.query<{ at: Date; channel: Channel; purpose: Purpose; dedup_key: string }>(
    `select coalesce(sent_at, decided_at) as at, channel, purpose, dedup_key from messages
     where dedup_key = $1 and status in ('sent', 'sending') limit 1`,
    [dedupKey],
  );
  return row
    ? { at: iso(row.at), channel: row.channel, purpose: row.purpose, dedupKey: row.dedup_key }
    : undefined;
}

/** A message already sent today that covered this subject for this step (a merged reminder). */
export async function coveringMessage(
  sql: Sql,
  q: {
    contactId: string;
    step: string;
    channel: Channel;
    subjectId: string;
    from: string;
    to: string;
    excludeSequence: string;
  },
): Promise<LedgerEntry | undefined> {
  const [row] = await sql.query<Row>(
    `select * from messages where contact_id = $1 and step = $2 and channel = $3 and status in ('sent', 'sending')
       and subject_ids @> $4::jsonb and coalesce(sent_at, decided_at) >= $5 and coalesce(sent_at, decided_at) < $6
       and sequence_id <> $7 limit 1`,
    [q.contactId, q.step, q.channel, JSON.stringify([q.subjectId]), q.from, q.to, q.excludeSequence],
  );
  return row ? toEntry(row) : undefined;
}
