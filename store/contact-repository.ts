/** Contacts, their consent history and their do-not-contact flag. */
import type { ConsentRecord, LegalBasis } from '../domain/policy/types';
import { iso, isoOrNull, type Sql } from './db';

/** Who the contact is in law: B2B terms (late-payment interest, recovery indemnity) or not. */
export type CustomerType = 'business' | 'consumer';

export interface Contact {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
  timezone: string;
  country: string | null;
  customerType: CustomerType;
  tags: string[];
  attributes: Record<string, unknown>;
  doNotContact: boolean;
  doNotContactReason: string | null;
  /** When the contact's personal data was erased (contact.erased); nothing is sent to it since. */
  erasedAt: string | null;
}

export interface ContactInput {
  id: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  locale: string;
  timezone: string;
  country?: string | undefined;
  /** Absent: a new contact is a consumer; an existing one keeps its type. */
  customerType?: CustomerType | undefined;
  tags?: string[] | undefined;
  attributes?: Record<string, unknown> | undefined;
}

export interface ContactRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
  timezone: string;
  country: string | null;
  customer_type: CustomerType;
  tags: string[];
  attributes: Record<string, unknown>;
  do_not_contact: boolean;
  do_not_contact_reason: string | null;
  erased_at: Date | null;
}

export const toContact = (r: ContactRow): Contact => ({
  id: r.id,
  firstName: r.first_name,
  lastName: r.last_name,
  email: r.email,
  phone: r.phone,
  locale: r.locale,
  timezone: r.timezone,
  country: r.country,
  customerType: r.customer_type,
  tags: r.tags,
  attributes: r.attributes,
  doNotContact: r.do_not_contact,
  doNotContactReason: r.do_not_contact_reason,
  erasedAt: isoOrNull(r.erased_at),
});

/** Creates or updates a contact; fields left out of an update keep their value. */
export async function upsertContact(sql: Sql, input: ContactInput, at: string): Promise<void> {
  await sql.query(
    `insert into contacts (id, first_name, last_name, email, phone, locale, timezone, country, tags, attributes, created_at, updated_at, customer_type)
     values ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9::jsonb, '[]'), coalesce($10::jsonb, '{}'), $11, $11, coalesce($12, 'consumer'))
     on conflict (id) do update set
       first_name = coalesce(excluded.first_name, contacts.first_name),
       last_name = coalesce(excluded.last_name, contacts.last_name),
       email = coalesce(excluded.email, contacts.email),
       phone = coalesce(excluded.phone, contacts.phone),
       locale = excluded.locale,
       timezone = excluded.timezone,
       country = coalesce(excluded.country, contacts.country),
       customer_type = coalesce($12, contacts.customer_type),
       tags = case when $9::jsonb is null then contacts.tags else excluded.tags end,
       attributes = case when $10::jsonb is null then contacts.attributes else contacts.attributes || excluded.attributes end,
       updated_at = excluded.updated_at`,
    [
      input.id,
      input.firstName ?? null,
      input.lastName ?? null,
      input.email ?? null,
      input.phone ?? null,
      input.locale,
      input.timezone,
      input.country ?? null,
      input.tags ? JSON.stringify(input.tags) : null,
      input.attributes ? JSON.stringify(input.attributes) : null,
      at,
      input.customerType ?? null,
    ],
  );
}

export async function getContact(sql: Sql, id: string): Promise<Contact | undefined> {
  const [row] = await sql.query<ContactRow>('select * from contacts where id = $1', [id]);
  return row ? toContact(row) : undefined;
}

/** Locks the contact row until the transaction ends: serializes sends to one contact. */
export async function lockContact(sql: Sql, id: string): Promise<Contact | undefined> {
  const [row] = await sql.query<ContactRow>('select * from contacts where id = $1 for update', [id]);
  return row ? toContact(row) : undefined;
}

export async function existingContactIds(sql: Sql, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await sql.query<{ id: string }>('select id from contacts where id = any($1::text[])', [ids]);
  return new Set(rows.map((r) => r.id));
}

export async function setDoNotContact(
  sql: Sql,
  id: string,
  flagged: boolean,
  reason: string | null,
  at: string,
) {
  await sql.query(
    'update contacts set do_not_contact = $2, do_not_contact_reason = $3, updated_at = $4 where id = $1',
    [id, flagged, flagged ? reason : null, at],
  );
}

export interface ConsentInput extends Omit<ConsentRecord, 'seq'> {
  contactId: string;
  eventId?: string;
}

/** Appends a record; `receivedAt` is Relance's clock when the change arrived (it orders history). */
export async function appendConsent(sql: Sql, c: ConsentInput): Promise<void> {
  await sql.query(
    `insert into consents (contact_id, channel, purpose, granted, source, legal_basis, at, event_id, received_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      c.contactId,
      c.channel,
      c.purpose,
      c.granted,
      c.source,
      c.legalBasis ?? (c.purpose === 'marketing' ? 'consent' : 'contract'),
      c.at,
      c.eventId ?? null,
      c.receivedAt,
    ],
  );
}

export interface ConsentHistoryEntry extends ConsentRecord {
  legalBasis: LegalBasis;
  recordedAt: string;
  eventId: string | null;
}

/** A consent row as read from the table, or as `to_jsonb` gives it (instants as text). */
export interface ConsentRow {
  id: number | string;
  channel: 'email' | 'sms';
  purpose: 'marketing' | 'transactional';
  granted: boolean;
  source: string;
  legal_basis: LegalBasis; // a check constraint keeps it to these three
  at: Date | string;
  recorded_at: Date | string;
  received_at: Date | string;
  event_id: string | null;
}

export function consentOf(r: ConsentRow): ConsentHistoryEntry {
  return {
    channel: r.channel,
    purpose: r.purpose,
    granted: r.granted,
    source: r.source,
    legalBasis: r.legal_basis,
    at: iso(r.at),
    receivedAt: iso(r.received_at),
    seq: Number(r.id),
    recordedAt: iso(r.recorded_at),
    eventId: r.event_id,
  };
}

/** The contact's consent history in the order Relance received it. */
export async function listConsents(sql: Sql, contactId: string): Promise<ConsentHistoryEntry[]> {
  const rows = await sql.query<ConsentRow>(
    'select * from consents where contact_id = $1 order by received_at, id',
    [contactId],
  );
  return rows.map(consentOf);
}

/** Contacts reachable at a phone number (E.164, as stored); several may share a household line. */
export async function contactsByPhone(sql: Sql, phone: string): Promise<Contact[]> {
  const rows = await sql.query<ContactRow>('select * from contacts where phone = $1 order by id', [
    phone.trim(),
  ]);
  return rows.map(toContact);
}

/** Contacts with an email address, compared case-insensitively as mailbox providers do. */
export async function contactsByEmail(sql: Sql, email: string): Promise<Contact[]> {
  const rows = await sql.query<ContactRow>(
    'select * from contacts where lower(email) = lower($1) order by id',
    [email.trim()],
  );
  return rows.map(toContact);
}

/** Was a consent change of this contact already recorded from this event (a webhook retried)? */
export async function hasConsentFromEvent(
  sql: Sql,
  q: { contactId: string; channel: 'email' | 'sms'; purpose: 'marketing' | 'transactional'; eventId: string },
): Promise<boolean> {
  const rows = await sql.query(
    'select 1 from consents where contact_id = $1 and channel = $2 and purpose = $3 and event_id = $4 limit 1',
    [q.contactId, q.channel, q.purpose, q.eventId],
  );
  return rows.length > 0;
}
