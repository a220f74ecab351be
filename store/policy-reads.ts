/**
 * Everything the policy engine reads of the store for one send, in one statement: consents,
 * whether the address is suppressed, recent sends (caps), an earlier send of the dedup key
 * (however long ago) and, for marketing, the contact's open escalation. The same rows as
 * listConsents, isSuppressed, sentHistory, sentWithDedupKey and openEscalation read one by one;
 * one statement instead of five is what the send transaction costs less (each statement is a
 * parse, plan and round trip through the embedded engine).
 */
import type { Channel, Purpose, SentRecord } from '../domain/policy/types';
import { consentOf, type ConsentHistoryEntry, type ConsentRow } from './contact-repository';
import { iso, type Sql } from './db';
import { addressHash, normalize } from './suppression-repository';

export interface PolicyReads {
  consents: ConsentHistoryEntry[];
  addressSuppressed: boolean;
  history: SentRecord[];
  /** A send of the dedup key, whenever it was (undefined when none). */
  earlier: SentRecord | undefined;
  openEscalation: number;
}

interface SentJson {
  at: string;
  channel: Channel;
  purpose: Purpose;
  dedup_key: string;
}

const SENT = `json_build_object('at', coalesce(sent_at, decided_at, planned_at), 'channel', channel, 'purpose', purpose, 'dedup_key', dedup_key)`;

const POLICY_READS = `select
  (select coalesce(json_agg(c order by c.received_at, c.id), '[]'::json) from consents c where c.contact_id = $1) as consents,
  ($3::text[] is not null and exists (select 1 from suppressions where channel = $2 and address = any($3::text[]))) as suppressed,
  (select coalesce(json_agg(${SENT}), '[]'::json) from messages
     where contact_id = $1 and status in ('sent', 'sending') and coalesce(sent_at, decided_at, planned_at) >= $4) as history,
  (select json_build_object('at', coalesce(sent_at, decided_at), 'channel', channel, 'purpose', purpose, 'dedup_key', dedup_key)
     from messages where dedup_key = $5 and status in ('sent', 'sending') limit 1) as earlier,
  (case when $6::boolean then (select max(s.escalation) from sequences s join invoices i on i.id = s.subject_id
     where s.contact_id = $1 and i.status = 'open') end) as escalation`;

export async function policyReads(
  sql: Sql,
  q: {
    contactId: string;
    channel: Channel;
    /** The recipient's address; none: not suppressed (there is nothing to write to). */
    address: string | undefined;
    /** Recent sends from this instant on. */
    since: string;
    dedupKey: string;
    /** Read the open escalation (marketing only stops at a level); 0 otherwise. */
    escalation: boolean;
  },
): Promise<PolicyReads> {
  const keys = q.address ? [normalize(q.channel, q.address), addressHash(q.channel, q.address)] : null;
  const [row] = await sql.query<{
    consents: ConsentRow[];
    suppressed: boolean;
    history: SentJson[];
    earlier: SentJson | null;
    escalation: number | null;
  }>(POLICY_READS, [q.contactId, q.channel, keys, q.since, q.dedupKey, q.escalation]);
  if (!row) throw new Error('policy reads: no row');
  return {
    consents: row.consents.map(consentOf),
    addressSuppressed: row.suppressed,
    history: row.history.map(sent),
    earlier: row.earlier ? sent(row.earlier) : undefined,
    openEscalation: Number(row.escalation ?? 0),
  };
}

function sent(r: SentJson): SentRecord {
  return { at: iso(r.at), channel: r.channel, purpose: r.purpose, dedupKey: r.dedup_key };
}
