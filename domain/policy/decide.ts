/**
 * The one decision point every message goes through: send now, defer until T, or suppress with a
 * reason. Pure and deterministic (same input, same answer), so it is unit-testable, usable from
 * workflow code, and its checks explain the decision on the ledger row.
 */
import { DateTime } from 'luxon';
import { applicableCaps, checkCap } from './caps';
import { checkConsent } from './consent';
import type { Decision, PolicyCheck, PolicyInput, SuppressReason } from './types';
import { nextWindowOpening } from './windows';

const MAX_SLOT_ITERATIONS = 64;

export function decide(input: PolicyInput): Decision {
  const checks: PolicyCheck[] = [];
  const suppress = (reason: SuppressReason, rule: PolicyCheck['rule'], detail: string): Decision => {
    checks.push({ rule, ok: false, detail });
    return { kind: 'suppress', reason, checks };
  };
  const { message, contact, config } = input;

  if (contact.doNotContact)
    return suppress(
      'do_not_contact',
      'do_not_contact',
      `contact flagged do-not-contact (${contact.doNotContactReason ?? 'no reason given'})`,
    );
  checks.push({ rule: 'do_not_contact', ok: true, detail: 'contact not flagged' });

  const subjectVerdict = checkSubjects(input);
  if (subjectVerdict) return suppress(subjectVerdict.reason, 'subject', subjectVerdict.detail);
  checks.push({
    rule: 'subject',
    ok: true,
    detail: message.subjects.length ? 'subjects open' : 'no subject',
  });

  const expiry = checkExpiry(input);
  if (expiry && !expiry.ok) return suppress('expired', 'expiry', expiry.detail);
  if (expiry) checks.push(expiry);

  if (!message.recipient || !message.recipientValid)
    return suppress('invalid_address', 'address', `no valid ${message.channel} address for the contact`);
  if (input.addressSuppressed)
    return suppress('suppressed_address', 'address', `${message.recipient} is on the suppression list`);
  checks.push({ rule: 'address', ok: true, detail: message.recipient });

  const consent = checkConsent(input.consents, message.channel, message.purpose, config);
  if (!consent.allowed) return suppress(consent.reason, 'consent', consent.detail);
  checks.push({ rule: 'consent', ok: true, detail: consent.detail });

  if (message.purpose === 'marketing' && input.openEscalation >= config.marketingStopsAtEscalation)
    return suppress(
      'paused',
      'escalation',
      `marketing stops while an invoice is at escalation ${input.openEscalation}`,
    );

  if (input.history.some((h) => h.dedupKey === message.dedupKey))
    return suppress('duplicate', 'dedup', `already sent: ${message.dedupKey}`);
  checks.push({ rule: 'dedup', ok: true, detail: 'first of its key' });

  return timing(input, checks);
}

/** The end of the contact-local day `validUntil` (the start of the next one), if any. */
function endOfValidity(validUntil: string | undefined, zone: string): DateTime | undefined {
  return validUntil ? DateTime.fromISO(validUntil, { zone }).plus({ days: 1 }).startOf('day') : undefined;
}

/** Whether the message is still worth sending now; undefined when it has no end date. */
function checkExpiry(input: PolicyInput): PolicyCheck | undefined {
  const { validUntil } = input.message;
  const deadline = endOfValidity(validUntil, input.contact.timezone);
  if (!deadline || !validUntil) return undefined;
  return Date.parse(input.now) >= deadline.toMillis()
    ? { rule: 'expiry', ok: false, detail: `valid until ${validUntil}, which has passed` }
    : { rule: 'expiry', ok: true, detail: `valid until ${validUntil}` };
}

function checkSubjects(input: PolicyInput): { reason: SuppressReason; detail: string } | undefined {
  const { subjects, kind } = input.message;
  if (subjects.length === 0) return undefined;
  if (subjects.every((s) => s.condition === 'settled'))
    return { reason: 'settled', detail: subjects.map((s) => `${s.id} ${s.detail ?? 'settled'}`).join('; ') };
  const live = subjects.filter((s) => s.condition !== 'settled');
  if (kind === 'escalation' && live.every((s) => s.condition === 'paused'))
    return { reason: 'paused', detail: live.map((s) => `${s.id} ${s.detail ?? 'paused'}`).join('; ') };
  return undefined;
}

/** The earliest instant that respects every cap and window: now (send), later (defer), or never. */
function timing(input: PolicyInput, checks: PolicyCheck[]): Decision {
  const { message, contact, config } = input;
  const zone = contact.timezone;
  const country = contact.country ?? config.defaultCountry;
  // A person answering a hand-off is not held back by the automatic sequences' daily caps.
  const caps = message.kind === 'agent' ? [] : applicableCaps(config.caps, message.purpose, message.channel);
  const now = DateTime.fromISO(input.now, { zone });
  let slot: DateTime = now;
  let capDetail: string | undefined;
  let windowDetail: string | undefined;
  for (let i = 0; i < MAX_SLOT_ITERATIONS; i += 1) {
    let moved = false;
    // Window first: caps are judged when the message can really go, so a marketing message asked
    // before opening time is not suppressed by a cap that has lapsed by then.
    const window = nextWindowOpening(slot, config.windows[message.channel], zone, country, input.calendar);
    if (window.opensAt > slot) {
      windowDetail ??= window.closedBecause;
      slot = window.opensAt;
      moved = true;
    }
    for (const cap of caps) {
      const answer = checkCap(cap, slot, zone, input.history);
      if (!answer.ok && answer.freeAt) {
        capDetail ??= answer.detail;
        slot = answer.freeAt;
        moved = true;
      }
    }
    if (!moved) break;
  }
  if (capDetail && message.purpose === 'marketing') {
    const deferred = deferredPastCap(input, slot);
    if (!deferred) {
      const late = message.deferWhenCapped
        ? `; the first free slot is after ${message.validUntil ?? ''}`
        : '';
      checks.push({ rule: 'cap', ok: false, detail: `${capDetail}${late}` });
      return { kind: 'suppress', reason: 'frequency_cap', checks };
    }
    capDetail = `${capDetail}; ${deferred}`;
  }
  checks.push({ rule: 'cap', ok: !capDetail, detail: capDetail ?? (caps.length ? 'within caps' : 'no cap') });
  checks.push({ rule: 'window', ok: !windowDetail, detail: windowDetail ?? 'inside the send window' });
  if (slot.toMillis() <= now.toMillis()) return { kind: 'send', checks };
  return deferUnlessExpired(input, slot, checks);
}

/**
 * Why a capped marketing message waits rather than being dropped: it asked to (`deferWhenCapped`)
 * and the first slot the caps allow comes before the end of its last valid day. Undefined: drop it.
 */
function deferredPastCap(input: PolicyInput, slot: DateTime): string | undefined {
  const { deferWhenCapped, validUntil } = input.message;
  if (!deferWhenCapped) return undefined;
  const deadline = endOfValidity(validUntil, input.contact.timezone);
  if (!deadline) return 'deferred to the first slot the caps allow';
  if (slot.toMillis() >= deadline.toMillis()) return undefined;
  return `deferred: it can still arrive by ${validUntil ?? ''}`;
}

/** Defer to the slot, unless the slot comes after the message's last valid day (`expired`). */
function deferUnlessExpired(input: PolicyInput, slot: DateTime, checks: PolicyCheck[]): Decision {
  const { validUntil } = input.message;
  const deadline = endOfValidity(validUntil, input.contact.timezone);
  if (deadline && validUntil && slot.toMillis() >= deadline.toMillis()) {
    const detail = `the first slot, ${slot.toISO() ?? ''}, is after ${validUntil}`;
    checks.push({ rule: 'expiry', ok: false, detail });
    return { kind: 'suppress', reason: 'expired', checks };
  }
  return { kind: 'defer', until: slot.toUTC().toISO() ?? input.now, checks };
}
