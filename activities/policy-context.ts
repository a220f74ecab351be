/**
 * Gathers what the policy engine decides from, inside the send transaction (the contact row is
 * locked, so two sends to one contact are decided one after the other and caps hold).
 */
import { DateTime } from 'luxon';
import type { RelanceConfig } from '../config/schema';
import type { HolidayCalendar } from '../domain/calendar';
import type { Channel, MessageIntent, PolicyInput, Purpose, SubjectState } from '../domain/policy/types';
import { isE164 } from '../domain/validators';
import type { Contact } from '../store/contact-repository';
import type { Sql } from '../store/db';
import { policyReads } from '../store/policy-reads';

export function recipientOf(
  contact: Contact,
  channel: Channel,
): { address: string | undefined; valid: boolean } {
  if (channel === 'email') {
    const address = contact.email ?? undefined;
    return { address, valid: !!address && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) };
  }
  const address = contact.phone ?? undefined;
  return { address, valid: !!address && isE164(address) };
}

/** How far back caps and dedup look: the longest rolling cap, at least two days. */
export function historyHorizonDays(config: RelanceConfig): number {
  return Math.max(2, ...config.policy.caps.map((c) => (c.per === 'local_day' ? 2 : c.per.rollingDays + 1)));
}

export async function policyInput(
  tx: Sql,
  args: {
    now: string;
    contact: Contact;
    channel: Channel;
    purpose: Purpose;
    kind: MessageIntent['kind'];
    dedupKey: string;
    subjects: SubjectState[];
    /** The last contact-local date the message is worth sending (an offer's validUntil). */
    validUntil?: string | undefined;
    /** Marketing held by a cap waits for a free slot before validUntil instead of being dropped. */
    deferWhenCapped?: boolean | undefined;
    config: RelanceConfig;
    calendar: HolidayCalendar;
  },
): Promise<PolicyInput> {
  const { contact, channel, config } = args;
  const recipient = recipientOf(contact, channel);
  const since =
    DateTime.fromISO(args.now)
      .minus({ days: historyHorizonDays(config) })
      .toUTC()
      .toISO() ?? args.now;
  // One statement in the send's transaction: consents, suppression, caps' history, the dedup
  // key's earlier send (however long ago: a step sent weeks ago, before a pause, stays sent).
  const reads = await policyReads(tx, {
    contactId: contact.id,
    channel,
    address: recipient.address,
    since,
    dedupKey: args.dedupKey,
    escalation: args.purpose === 'marketing',
  });
  const history = reads.earlier ? [...reads.history, reads.earlier] : reads.history;
  return {
    now: args.now,
    message: {
      purpose: args.purpose,
      channel,
      dedupKey: args.dedupKey,
      kind: args.kind,
      ...(recipient.address ? { recipient: recipient.address } : {}),
      recipientValid: recipient.valid,
      subjects: args.subjects,
      ...(args.validUntil ? { validUntil: args.validUntil } : {}),
      ...(args.deferWhenCapped ? { deferWhenCapped: true } : {}),
    },
    contact: policyContact(contact),
    consents: reads.consents,
    addressSuppressed: reads.addressSuppressed,
    history,
    openEscalation: reads.openEscalation,
    config: config.policy,
    calendar: args.calendar,
  };
}

/** The contact as the policy sees it: an erased contact is never written to again, whatever its flag says. */
export function policyContact(contact: Contact): PolicyInput['contact'] {
  return {
    timezone: contact.timezone,
    ...(contact.country ? { country: contact.country } : {}),
    doNotContact: contact.doNotContact || contact.erasedAt !== null,
    ...(contact.erasedAt
      ? { doNotContactReason: 'contact erased' }
      : contact.doNotContactReason
        ? { doNotContactReason: contact.doNotContactReason }
        : {}),
  };
}
