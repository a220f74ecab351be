/**
 * What erasure (contract §7, `contact.erased`) keeps of a contact's records: ids, amounts, dates
 * and codes; never names, addresses, phone numbers or free text. Pure rules, applied by the store.
 */
import { CAMPAIGN_UPDATED } from './campaign';
import type { EventType } from './events';

/** What an erased value becomes where a column cannot be empty. */
export const ERASED = '[erased]';

/**
 * The fields of each event's stored data that identify no one. Every other field present is
 * replaced by ERASED, so the event still shows that it carried one.
 */
const keptFields: Partial<Record<EventType | typeof CAMPAIGN_UPDATED, readonly string[]>> = {
  'contact.upserted': ['id', 'locale', 'timezone', 'country', 'customerType'],
  'contact.consent': ['contactId', 'channel', 'purpose', 'granted', 'legalBasis'],
  'contact.do_not_contact': ['contactId', 'flagged', 'reason'],
  'contact.erased': ['contactId', 'reason'],
  'invoice.issued': ['id', 'contactId', 'number', 'amount', 'currency', 'issuedAt', 'dueDate', 'schedule'],
  'invoice.payment': ['invoiceId', 'amount', 'paidAt'],
  'invoice.payment_plan': ['invoiceId', 'installments'],
  'invoice.disputed': ['invoiceId'],
  'invoice.dispute_resolved': ['invoiceId', 'outcome'],
  'invoice.promise_to_pay': ['invoiceId', 'promisedDate', 'amount'],
  'invoice.cancelled': ['invoiceId'],
  // Expiring things (§4): labels, codes and links go (a code or a link may lead to the person).
  'card.registered': ['id', 'contactId', 'kind', 'expiresOn', 'schedule'],
  'card.renewed': ['cardId', 'expiresOn'],
  'card.removed': ['cardId'],
  'voucher.issued': ['id', 'contactId', 'value', 'currency', 'expiresOn', 'schedule'],
  'voucher.redeemed': ['voucherId'],
  'voucher.cancelled': ['voucherId'],
  'points.credited': ['id', 'contactId', 'points', 'expiresOn', 'schedule'],
  'points.used': ['lotId', 'points'],
  // About many contacts, not one (never selected as "about" a contact): ids and shared content.
  'campaign.scheduled': [
    'id',
    'template',
    'channels',
    'contactIds',
    'sendAt',
    'content',
    'segment',
    'recurrence',
  ],
  'campaign.paused': ['campaignId'],
  'campaign.resumed': ['campaignId'],
  'campaign.cancelled': ['campaignId'],
  // Internal (a PATCH): the campaign and the names of the keys changed.
  [CAMPAIGN_UPDATED]: ['campaignId', 'changed'],
};

/** True for the event types with an explicit rule (a test checks that every type has one). */
export function hasErasureRule(type: string): boolean {
  return Object.hasOwn(keptFields, type);
}

/** A reference to a business object (`id`, `contactId`, `invoiceIds`…): kept as it is. */
const isReference = (key: string) => /^(id|.+Ids?)$/.test(key);

/** A type without a rule keeps only its references (`id`, `…Id`, `…Ids`), numbers and booleans. */
function keptByDefault(key: string, value: unknown): boolean {
  return isReference(key) || typeof value === 'number' || typeof value === 'boolean';
}

/** The stored data of an event, with everything that could identify the contact erased. */
export function scrubEventData(type: string, data: Record<string, unknown>): Record<string, unknown> {
  const kept = (keptFields as Record<string, readonly string[] | undefined>)[type];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const keep = kept ? kept.includes(key) : keptByDefault(key, value);
    out[key] = keep ? value : ERASED;
  }
  return out;
}

/** The strings that identify a contact, to be cut out of texts that quote them (errors, details). */
export function identifyingStrings(contact: {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
}): string[] {
  const fullName = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  return [contact.email, contact.phone, fullName, contact.firstName, contact.lastName].filter(
    (s): s is string => typeof s === 'string' && s.trim().length > 0,
  );
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces every occurrence of the given strings (any case) in every string of a JSON value,
 * except under reference keys: an id that happens to contain a first name (`c-hugo`) is how the
 * dispatcher and the API find the records, and erasure keeps references (domain rules above).
 */
export function redact<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const pattern = new RegExp(
    [...secrets]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'gi',
  );
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(pattern, ERASED);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isReference(k) ? x : walk(x)]));
    return v;
  };
  return walk(value) as T;
}
