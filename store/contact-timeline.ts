/**
 * The sources of a contact's timeline (domain/timeline.ts), each cut to the `limit` newest: the
 * ledger's messages (with the policy checks that decided each), replies, consent changes, events
 * about the contact or its invoices, hand-offs.
 */
import { listConsents, type ConsentHistoryEntry } from './contact-repository';
import { iso, type Sql } from './db';
import { eventsAboutContact } from './erasure-repository';
import { handoffsOfContact, type Handoff } from './handoff-repository';
import { repliesOfContact, type Reply } from './inbound-repository';
import { toEntry, type LedgerEntry, type Row } from './ledger-repository';

export interface TimelineSources {
  messages: LedgerEntry[];
  replies: Reply[];
  consents: ConsentHistoryEntry[];
  events: { id: string; type: string; at: string; data: Record<string, unknown> }[];
  handoffs: Handoff[];
}

export async function timelineSources(sql: Sql, contactId: string, limit: number): Promise<TimelineSources> {
  const messages = await sql.query<Row>(
    `select * from messages where contact_id = $1
      order by coalesce(sent_at, decided_at, planned_at) desc, created_at desc limit $2`,
    [contactId, limit],
  );
  const invoiceIds = (
    await sql.query<{ id: string }>('select id from invoices where contact_id = $1', [contactId])
  ).map((r) => r.id);
  // The internal `reply.received` event (ingestion/reply-tasks.ts) only carries a reply, listed
  // with its words among the replies, to its sequence: the timeline shows the reply once.
  const events = (await eventsAboutContact(sql, contactId, invoiceIds)).filter(
    (e) => e.type !== 'reply.received',
  );
  return {
    messages: messages.map(toEntry),
    replies: await repliesOfContact(sql, contactId, limit),
    consents: (await listConsents(sql, contactId)).slice(-limit),
    events: events.slice(-limit).map((e) => ({ id: e.id, type: e.type, at: iso(e.at), data: e.data })),
    handoffs: (await handoffsOfContact(sql, contactId)).slice(-limit),
  };
}
