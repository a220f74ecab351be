/**
 * Service levels of hand-off tasks: when a task must be answered, and whether it is late. A task
 * opened on any day (a weekend or a holiday included) is due N business days later, counted from
 * the next day on the contact's own calendar (no weekends, no public holidays of its country), at
 * the end of that business day in the contact's zone. N = 0 means the end of the opening day
 * itself, or of the next business day when it opens on a day off. Pure: the calendar is passed in.
 */
import { DateTime } from 'luxon';
import { addBusinessDays, isWeekend, localInstant, type HolidayCalendar } from './calendar';

/** Why a person must act; each reason has its own service level. */
export const HANDOFF_REASONS = ['dunning', 'dispute', 'complaint', 'reply'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** Business days per reason, and when a business day ends (HH:MM, contact-local). */
export type ServiceLevels = Record<HandoffReason, number> & { endOfBusinessDay: string };

/** The contact's calendar: its zone, its country and the public holidays of the countries. */
export interface ContactCalendar {
  timezone: string;
  country: string;
  holidays: HolidayCalendar;
}

const isBusinessDay = (date: DateTime, cal: ContactCalendar) =>
  !isWeekend(date) && !cal.holidays.isPublicHoliday(cal.country, date.toISODate() ?? '');

/** The instant (ISO, UTC) a task opened at `openedAt` for `reason` is due. */
export function dueBy(
  openedAt: string,
  reason: HandoffReason,
  cal: ContactCalendar,
  levels: ServiceLevels,
): string {
  const opened = DateTime.fromISO(openedAt, { zone: cal.timezone });
  if (!opened.isValid) throw new RangeError(`dueBy: "${openedAt}" is not an instant`);
  const openedDate = opened.toISODate();
  const days = levels[reason];
  const lastDay =
    days === 0 && isBusinessDay(DateTime.fromISO(openedDate, { zone: 'UTC' }), cal)
      ? openedDate
      : addBusinessDays(openedDate, Math.max(days, 1), cal.country, cal.holidays);
  return localInstant(lastDay, levels.endOfBusinessDay, cal.timezone).toUTC().toISO() ?? openedAt;
}

/** A task as far as its service level is concerned. */
export interface SlaTask {
  status: 'open' | 'claimed' | 'resolved';
  dueBy: string;
}

/** Late: not resolved, and its due-by time has passed. */
export function overdue(task: SlaTask, now: string | Date): boolean {
  if (task.status === 'resolved') return false;
  const at = typeof now === 'string' ? Date.parse(now) : now.getTime();
  return at > Date.parse(task.dueBy);
}
