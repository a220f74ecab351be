/**
 * Frequency caps per contact: a calendar day in the contact's zone, or a rolling window.
 * `capFreeAt` answers when a capped message could go: the next local midnight, or the moment the
 * oldest counted message leaves the rolling window.
 */
import { DateTime } from 'luxon';
import type { CapConfig } from '../config-shapes';
import type { Channel, Purpose, SentRecord } from './types';

export interface CapAnswer {
  ok: boolean;
  /** When the cap next allows a message (only when !ok). */
  freeAt?: DateTime;
  detail: string;
}

export function applicableCaps(caps: CapConfig[], purpose: Purpose, channel: Channel): CapConfig[] {
  return caps.filter((cap) => cap.purpose === purpose && cap.channel === channel);
}

export function checkCap(cap: CapConfig, at: DateTime, zone: string, history: SentRecord[]): CapAnswer {
  // Instants compare as epoch milliseconds: parsing every record with luxon in the contact's zone
  // cost most of a decision's time (the ledger writes them as UTC ISO strings).
  const counted = history
    .filter((h) => h.purpose === cap.purpose && h.channel === cap.channel)
    .map((h) => Date.parse(h.at));
  if (cap.per === 'local_day') {
    const local = at.setZone(zone);
    const start = local.startOf('day');
    const end = start.plus({ days: 1 });
    const [from, to] = [start.toMillis(), end.toMillis()];
    const today = counted.filter((t) => t >= from && t < to).length;
    const label = `${cap.purpose} ${cap.channel}: ${today}/${cap.max} on ${start.toISODate()}`;
    return today < cap.max ? { ok: true, detail: label } : { ok: false, freeAt: end, detail: label };
  }
  const days = cap.per.rollingDays;
  const windowStart = at.minus({ days }).toMillis();
  const atMs = at.toMillis();
  const inWindow = counted.filter((t) => t > windowStart && t <= atMs).sort((a, b) => a - b);
  const label = `${cap.purpose} ${cap.channel}: ${inWindow.length}/${cap.max} in ${days} days`;
  if (inWindow.length < cap.max) return { ok: true, detail: label };
  const leaving = inWindow[inWindow.length - cap.max];
  const oldest = leaving === undefined ? at.setZone(zone) : DateTime.fromMillis(leaving, { zone });
  return { ok: false, freeAt: oldest.plus({ days, milliseconds: 1 }), detail: label };
}
