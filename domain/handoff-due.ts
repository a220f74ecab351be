/**
 * When a hand-off task must be answered: a per-reason number of business days on the contact's
 * own calendar (no weekends, no public holidays of its country), at the end of that business day
 * in its zone. One function, so the configurable service levels can take its place.
 */
import { DateTime } from 'luxon';
import { addBusinessDays, localInstant, type HolidayCalendar } from './calendar';

/** Business days per reason code: 2 after a dunning hand-off, 5 to answer a dispute. */
const BUSINESS_DAYS: Record<string, number> = { dunning: 2, do_not_contact: 2, dispute: 5 };
const END_OF_BUSINESS_DAY = '18:00';

export function handoffDueBy(
  reasonCode: string,
  openedAt: string,
  contact: { timezone: string; country: string },
  calendar: HolidayCalendar,
): string {
  const opened = DateTime.fromISO(openedAt, { zone: contact.timezone });
  const day = opened.toISODate() ?? openedAt.slice(0, 10);
  const last = addBusinessDays(day, BUSINESS_DAYS[reasonCode] ?? 2, contact.country, calendar);
  return localInstant(last, END_OF_BUSINESS_DAY, contact.timezone).toUTC().toISO() ?? openedAt;
}

/** Late: not resolved and past its due-by time. */
export function isOverdue(task: { status: string; dueBy: string | null }, now: string): boolean {
  return task.status !== 'resolved' && task.dueBy !== null && Date.parse(now) > Date.parse(task.dueBy);
}
