/**
 * Everything the store holds about one contact, for GET /v1/contacts/{id}/export (right of access
 * and portability): the contact, its consent history, invoices with their payments, cards,
 * vouchers and lots of points (with renewals), sequences, messages (with their texts),
 * hand-offs, replies, suppressions of its addresses and the events about it.
 */
import type { Channel } from '../domain/policy/types';
import { getContact, listConsents, type ConsentHistoryEntry, type Contact } from './contact-repository';
import { iso, type Sql } from './db';
import { eventsAboutContact } from './erasure-repository';
import { handoffsOfContact, type Handoff } from './handoff-repository';
import { repliesOfContact, type Reply } from './inbound-repository';
import { getInvoices, type Invoice } from './invoice-repository';
import { itemsOfContact, renewalsOfItem, type Item, type ItemRenewal } from './item-repository';
import { toEntry, type LedgerEntry, type Row } from './ledger-repository';
import { getSequence, type SequenceProjection } from './sequence-repository';
import { suppressionsOf, type Suppression } from './suppression-repository';

export interface ContactRecord {
  contact: Contact;
  consents: ConsentHistoryEntry[];
  invoices: {
    invoice: Invoice;
    payments: { amountMinor: number; paidAt: string; eventId: string | null }[];
  }[];
  items: { item: Item; renewals: ItemRenewal[] }[];
  sequences: SequenceProjection[];
  messages: LedgerEntry[];
  handoffs: Handoff[];
  /** What the contact wrote back (SMS and email replies), oldest first. */
  replies: Reply[];
  suppressions: Suppression[];
  events: { id: string; type: string; at: string; receivedAt: string; data: Record<string, unknown> }[];
}

export async function contactRecord(sql: Sql, contactId: string): Promise<ContactRecord | undefined> {
  const contact = await getContact(sql, contactId);
  if (!contact) return undefined;
  const invoiceIds = (
    await sql.query<{ id: string }>('select id from invoices where contact_id = $1 order by due_date, id', [
      contactId,
    ])
  ).map((r) => r.id);
  const invoices = [];
  for (const invoice of await getInvoices(sql, invoiceIds)) {
    const payments = await sql.query<{ amount_minor: number; paid_at: Date; event_id: string | null }>(
      'select amount_minor, paid_at, event_id from payments where invoice_id = $1 order by paid_at, id',
      [invoice.id],
    );
    invoices.push({
      invoice,
      payments: payments.map((p) => ({
        amountMinor: p.amount_minor,
        paidAt: iso(p.paid_at),
        eventId: p.event_id,
      })),
    });
  }
  const items = [];
  for (const item of await itemsOfContact(sql, contactId))
    items.push({ item, renewals: await renewalsOfItem(sql, item.kind, item.id) });
  const sequenceIds = await sql.query<{ id: string }>(
    'select id from sequences where contact_id = $1 order by started_at, id',
    [contactId],
  );
  const sequences: SequenceProjection[] = [];
  for (const { id } of sequenceIds) {
    const sequence = await getSequence(sql, id);
    if (sequence) sequences.push(sequence);
  }
  const messages = (
    await sql.query<Row>('select * from messages where contact_id = $1 order by planned_at, created_at', [
      contactId,
    ])
  ).map(toEntry);
  const addresses: { channel: Channel; address: string }[] = [];
  if (contact.email) addresses.push({ channel: 'email', address: contact.email });
  if (contact.phone) addresses.push({ channel: 'sms', address: contact.phone });
  return {
    contact,
    consents: await listConsents(sql, contactId),
    invoices,
    items,
    sequences,
    messages,
    handoffs: await handoffsOfContact(sql, contactId),
    replies: (await repliesOfContact(sql, contactId)).reverse(),
    suppressions: await suppressionsOf(sql, addresses),
    events: (await eventsAboutContact(sql, contactId, invoiceIds)).map((e) => ({
      id: e.id,
      type: e.type,
      at: iso(e.at),
      receivedAt: iso(e.received_at),
      data: e.data,
    })),
  };
}
