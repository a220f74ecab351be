/**
 * Consent rules, with the legal basis each record rests on (`legalBasis` of contact.consent):
 * - a withdrawal always wins: the latest record of a channel and purpose says "withdrawn", nothing
 *   of that purpose goes on that channel, whatever basis came before;
 * - marketing needs a current grant on the `consent` basis; `legitimate_interest` (the "soft
 *   opt-in" for existing customers and similar products) counts only when the configuration allows
 *   it; a `contract` never covers marketing;
 * - transactional messages rest on the contract: they go without any record, and a grant on any
 *   basis (the contact gave back a channel they had withdrawn) lets them go again.
 * A record without a basis has its purpose's default: `consent` for marketing, `contract` otherwise.
 */
import type { Channel, ConsentRecord, LegalBasis, Purpose } from './types';

export type ConsentAnswer =
  | { allowed: true; basis: LegalBasis; detail: string }
  | { allowed: false; reason: 'no_consent' | 'opted_out'; detail: string };

export interface ConsentRules {
  /** Marketing may rest on a `legitimate_interest` grant (soft opt-in), not only on `consent`. */
  marketingOnLegitimateInterest: boolean;
}

const STRICT: ConsentRules = { marketingOnLegitimateInterest: false };

/**
 * When a record takes effect: when it happened, as its sender dates it, but never later than when
 * Relance received it. A grant dated in the future cannot beat a STOP that arrived after it, and a
 * grant sent late but dated back (a CRM re-sync of an old form) cannot undo a newer STOP either.
 */
function effectiveAt(record: ConsentRecord): number {
  return Math.min(Date.parse(record.at), Date.parse(record.receivedAt));
}

/** Does `a` take effect after `b`? Equal instants: the one Relance received last. */
export function takesEffectAfter(a: ConsentRecord, b: ConsentRecord): boolean {
  const diff = effectiveAt(a) - effectiveAt(b);
  if (diff !== 0) return diff > 0;
  const received = Date.parse(a.receivedAt) - Date.parse(b.receivedAt);
  return received !== 0 ? received > 0 : a.seq > b.seq;
}

/**
 * The record in force for a channel and purpose (records are history: never overwritten), by
 * `takesEffectAfter`: the order of the list does not matter.
 */
export function latestConsent(
  records: ConsentRecord[],
  channel: Channel,
  purpose: Purpose,
): ConsentRecord | undefined {
  let latest: ConsentRecord | undefined;
  for (const record of records) {
    if (record.channel !== channel || record.purpose !== purpose) continue;
    if (!latest || takesEffectAfter(record, latest)) latest = record;
  }
  return latest;
}

/** The basis a record rests on, its purpose's default when it names none. */
export function basisOf(record: Pick<ConsentRecord, 'purpose' | 'legalBasis'>): LegalBasis {
  return record.legalBasis ?? (record.purpose === 'marketing' ? 'consent' : 'contract');
}

export function checkConsent(
  records: ConsentRecord[],
  channel: Channel,
  purpose: Purpose,
  rules: ConsentRules = STRICT,
): ConsentAnswer {
  const latest = latestConsent(records, channel, purpose);
  const when = latest
    ? ` (${latest.granted ? 'granted' : 'withdrawn'} ${latest.at} via ${latest.source})`
    : '';
  if (latest && !latest.granted) {
    const what = purpose === 'marketing' ? `marketing ${channel} consent` : `${channel}`;
    return {
      allowed: false,
      reason: 'opted_out',
      detail: `${what} withdrawn${purpose === 'marketing' ? '' : ' for transactional messages'}${when}`,
    };
  }
  if (purpose === 'transactional') {
    const basis = latest ? basisOf(latest) : 'contract';
    return { allowed: true, basis, detail: `transactional ${channel} on the ${basis} basis${when}` };
  }
  if (!latest) return { allowed: false, reason: 'no_consent', detail: `no marketing consent for ${channel}` };
  const basis = basisOf(latest);
  if (basis === 'consent' || (basis === 'legitimate_interest' && rules.marketingOnLegitimateInterest))
    return { allowed: true, basis, detail: `marketing ${channel} on the ${basis} basis${when}` };
  const why =
    basis === 'contract'
      ? 'a contract does not cover marketing'
      : 'legitimate interest (soft opt-in) is not allowed by policy.marketingOnLegitimateInterest';
  return {
    allowed: false,
    reason: 'no_consent',
    detail: `marketing ${channel} granted on the ${basis} basis, but ${why}${when}`,
  };
}
