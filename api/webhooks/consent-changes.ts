/**
 * Consent changes that arrive from recipients themselves (STOP, provider unsubscribes, one-click
 * links). History is appended, never rewritten; a webhook delivered twice records nothing twice.
 */
import { latestConsent } from '../../domain/policy/consent';
import type { Channel, LegalBasis, Purpose } from '../../domain/policy/types';
import type { Sql } from '../../store/db';
import { appendConsent, hasConsentFromEvent, listConsents } from '../../store/contact-repository';

export interface ConsentChange {
  contactId: string;
  channel: Channel;
  purpose: Purpose;
  source: string;
  at: string;
  /** Relance's clock when the change arrived: consent history counts in this order. */
  receivedAt: string;
  /** Provider event id (`twilio:SM…`, `sendgrid:…`): the same event is applied once. */
  eventId?: string;
  /** Skip when the latest record already says withdrawn (one-click links clicked twice). */
  skipIfWithdrawn?: boolean;
}

/** Returns whether a withdrawal row was appended. */
export async function withdrawConsent(tx: Sql, c: ConsentChange): Promise<boolean> {
  if (c.eventId && (await hasConsentFromEvent(tx, { ...c, eventId: c.eventId }))) return false;
  if (c.skipIfWithdrawn) {
    const latest = latestConsent(await listConsents(tx, c.contactId), c.channel, c.purpose);
    if (latest && !latest.granted) return false;
  }
  await appendConsent(tx, {
    contactId: c.contactId,
    channel: c.channel,
    purpose: c.purpose,
    granted: false,
    source: c.source,
    legalBasis: 'consent',
    at: c.at,
    receivedAt: c.receivedAt,
    ...(c.eventId ? { eventId: c.eventId } : {}),
  });
  return true;
}

/** Sources of SMS keyword withdrawals start with this, so START can find what STOP took away. */
export const INBOUND_SMS_SOURCE = 'inbound SMS';

const byInboundStop = (r: { granted: boolean; source: string }) =>
  !r.granted && r.source.startsWith(INBOUND_SMS_SOURCE);

/**
 * Undoes the trailing run of SMS STOP withdrawals of one purpose: the state before them comes
 * back (a grant, or for transactional messages the contract basis they had with no record at
 * all). A purpose withdrawn some other way (CRM, email link) stays withdrawn: START is not consent
 * to what the contact refused elsewhere. Returns whether a grant was appended.
 */
export async function restoreAfterSmsStop(tx: Sql, c: ConsentChange): Promise<boolean> {
  if (c.eventId && (await hasConsentFromEvent(tx, { ...c, eventId: c.eventId }))) return false;
  const history = (await listConsents(tx, c.contactId)).filter(
    (r) => r.channel === c.channel && r.purpose === c.purpose,
  );
  const isStop = (i: number) => {
    const record = history[i];
    return record !== undefined && byInboundStop(record);
  };
  let index = history.length - 1;
  if (!isStop(index)) return false;
  while (isStop(index)) index -= 1;
  const before = history[index];
  let legalBasis: LegalBasis;
  if (before?.granted) legalBasis = before.legalBasis;
  else if (!before && c.purpose === 'transactional') legalBasis = 'contract';
  else return false;
  await appendConsent(tx, {
    contactId: c.contactId,
    channel: c.channel,
    purpose: c.purpose,
    granted: true,
    source: c.source,
    legalBasis,
    at: c.at,
    receivedAt: c.receivedAt,
    ...(c.eventId ? { eventId: c.eventId } : {}),
  });
  return true;
}
