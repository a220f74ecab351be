/**
 * What an item reminder's templates get (the design's ItemLine): one line per item the message
 * lists, with the days left counted in the contact's own calendar.
 */
import { DateTime } from 'luxon';
import { daysBetween } from '../../domain/calendar';
import type { Item } from '../../store/item-repository';

export interface ItemLine {
  id: string;
  kind: 'card' | 'voucher' | 'points';
  cardKind: 'loyalty' | 'payment' | null;
  label: string;
  code: string | null;
  value: { minor: number; currency: string } | null;
  /** Points left in the lot (not the lot's initial count). */
  points: number | null;
  expiresOn: string;
  /** Whole days from today (contact-local) to the expiry date; 0 on the day, negative once lapsed. */
  daysLeft: number;
  url: string | null;
}

export function localToday(now: string, zone: string): string {
  return DateTime.fromISO(now, { zone }).toISODate() ?? now.slice(0, 10);
}

export function itemLine(item: Item, today: string): ItemLine {
  return {
    id: item.id,
    kind: item.kind,
    cardKind: item.cardKind,
    // A lot of points may come without a label: its id names it rather than an empty line.
    label: item.label || item.id,
    code: item.code,
    value:
      item.valueMinor !== null && item.currency !== null
        ? { minor: item.valueMinor, currency: item.currency }
        : null,
    points: item.pointsLeft,
    expiresOn: item.expiresOn,
    daysLeft: daysBetween(today, item.expiresOn),
    url: item.url,
  };
}

/** `items`, the first as `item`, and `count` (names, company and contact line come from the path). */
export function itemTemplateData(items: Item[], today: string): Record<string, unknown> {
  const lines = items.map((i) => itemLine(i, today));
  const [first] = lines;
  if (!first) throw new Error('an item reminder needs at least one item');
  return { items: lines, item: first, count: lines.length };
}
