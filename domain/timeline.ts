/**
 * A contact's timeline: what was sent, what the customer wrote back, consent changes, events and
 * hand-offs, in one list, newest last. Pure: the store gathers each source, this merges.
 */
export const TIMELINE_KINDS = ['event', 'consent', 'message', 'reply', 'handoff'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
}

/** The default and largest number of entries one call returns. */
export const TIMELINE_LIMITS = { default: 200, max: 1000 } as const;

/**
 * The `limit` latest entries, oldest first. Entries of one instant keep the order of cause and
 * effect: the event, then the consent it changed, the message, the reply, the hand-off.
 */
export function newestLast<T extends TimelineEntry>(
  entries: T[],
  limit: number,
): { entries: T[]; truncated: boolean } {
  const rank = (e: T) => TIMELINE_KINDS.indexOf(e.kind);
  const sorted = [...entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || rank(a) - rank(b));
  return { entries: sorted.slice(Math.max(0, sorted.length - limit)), truncated: sorted.length > limit };
}

/** `limit` from the query: an integer from 1 to the maximum, or the default when absent. */
export function timelineLimit(value: unknown): number | undefined {
  if (value === undefined) return TIMELINE_LIMITS.default;
  if (typeof value !== 'string' || !/^\d{1,4}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= TIMELINE_LIMITS.max ? n : undefined;
}
