/**
 * Consent rules. Marketing needs an explicit, current grant for the channel; transactional
 * messages rest on the contract and go out unless the contact withdrew that channel.
 */
import type { Channel, ConsentRecord, Purpose } from './types';

export type ConsentAnswer =
  | { allowed: true; basis: 'consent' | 'contract'; detail: string }
  | { allowed: false; reason: 'no_consent' | 'opted_out'; detail: string };

/** Does `a` arrive after `b`? By Relance's reception time, then by arrival order. */
export function receivedAfter(a: ConsentRecord, b: ConsentRecord): boolean {
  const diff = Date.parse(a.receivedAt) - Date.parse(b.receivedAt);
  return diff !== 0 ? diff > 0 : a.seq > b.seq;
}

/**
 * The last record received for a channel and purpose (records are history: never overwritten).
 * Reception order, not the `at` a sender claims: a grant dated in the future does not beat a
 * STOP that arrived after it, and the order of the list does not matter.
 */
export function latestConsent(
  records: ConsentRecord[],
  channel: Channel,
  purpose: Purpose,
): ConsentRecord | undefined {
  let latest: ConsentRecord | undefined;
  for (const record of records) {
    if (record.channel !== channel || record.purpose !== purpose) continue;
    if (!latest || receivedAfter(record, latest)) latest = record;
  }
  return latest;
}

export function checkConsent(records: ConsentRecord[], channel: Channel, purpose: Purpose): ConsentAnswer {
  const latest = latestConsent(records, channel, purpose);
  const when = latest
    ? ` (${latest.granted ? 'granted' : 'withdrawn'} ${latest.at} via ${latest.source})`
    : '';
  if (purpose === 'marketing') {
    if (!latest)
      return { allowed: false, reason: 'no_consent', detail: `no marketing consent for ${channel}` };
    return latest.granted
      ? { allowed: true, basis: 'consent', detail: `marketing ${channel} consent${when}` }
      : { allowed: false, reason: 'opted_out', detail: `marketing ${channel} consent withdrawn${when}` };
  }
  if (latest && !latest.granted)
    return {
      allowed: false,
      reason: 'opted_out',
      detail: `${channel} withdrawn for transactional messages${when}`,
    };
  return {
    allowed: true,
    basis: 'contract',
    detail: `transactional ${channel} on the contract basis${when}`,
  };
}
