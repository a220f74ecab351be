/**
 * Local calendars: public holidays by country (from the maintained date-holidays data, never a
 * hand-written list), business days, and local wall-clock times resolved DST-safely with luxon.
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

/** Answers "is this local date a public holiday in this country?". */
export interface HolidayCalendar {
  isPublicHoliday(country: string, isoDate: string): boolean;
  /** The holiday's name, for explanations; undefined when the date is a working day. */
  holidayName(country: string, isoDate: string): string | undefined;
}

const DAY_MS = 86_400_000;

/**
 * The local dates a holiday covers: from its own date, as many days as it lasts. date-holidays
 * gives a multi-day holiday once (Korea's Seollal, three days; Eid, from the eve at 18:00), with
 * `start`/`end` instants; a part-day one (from 12:00) still closes its date, as any holiday does.
 */
function coveredDates(holiday: { date: string; start: Date; end: Date }): string[] {
  const first = DateTime.fromISO(holiday.date.slice(0, 10), { zone: 'UTC' });
  const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
  return Array.from({ length: days }, (_, i) => first.plus({ days: i }).toISODate() ?? '');
}

/** Each local date of `year` that is a public holiday, with its name. */
function publicHolidaysOf(country: string, year: number): Map<string, string> {
  const days = new Map<string, string>();
  const holidays = new Holidays(country);
  // The year before too: a holiday that began then may run into this one (Eswatini's Incwala, 28 Dec to 2 Jan).
  for (const listYear of [year - 1, year])
    for (const holiday of holidays.getHolidays(listYear) || []) {
      if (holiday.type !== 'public') continue;
      coveredDates(holiday).forEach((date, i) => {
        // A day's own holiday names it; a day a longer holiday runs over keeps the name it has.
        if (date.startsWith(`${year}-`) && (i === 0 || !days.has(date))) days.set(date, holiday.name);
      });
    }
  return days;
}

/** date-holidays, cached per country and year (a year's list is computed once). */
export function createHolidayCalendar(): HolidayCalendar {
  const cache = new Map<string, Map<string, string>>();
  const yearOf = (country: string, year: number): Map<string, string> => {
    const key = `${country}:${year}`;
    let days = cache.get(key);
    if (!days) {
      days = publicHolidaysOf(country, year);
      cache.set(key, days);
    }
    return days;
  };
  const holidayName = (country: string, isoDate: string) =>
    yearOf(country, Number(isoDate.slice(0, 4))).get(isoDate);
  return {
    holidayName,
    isPublicHoliday: (country, isoDate) => holidayName(country, isoDate) !== undefined,
  };
}

/** The instant of a local wall-clock time; a time skipped by a DST change moves to just after it. */
export function localInstant(isoDate: string, hhmm: string, zone: string): DateTime {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  const day = DateTime.fromISO(isoDate, { zone });
  const instant = day.set({ hour, minute, second: 0, millisecond: 0 });
  return instant.hour === hour && instant.minute === minute ? instant : endOfGap(instant);
}

const MINUTE_MS = 60_000;

/**
 * luxon moves a skipped wall time forward by the length of the gap (02:30 -> 03:30 in Paris), which
 * would let a window 02:00–02:45 send at 03:40; the first instant after the gap is the change itself.
 */
function endOfGap(shifted: DateTime): DateTime {
  const { zone } = shifted;
  const after = shifted.offset;
  const gapMinutes = Math.max(0, after - zone.offset(shifted.toMillis() - 24 * 60 * MINUTE_MS));
  let before = shifted.toMillis() - gapMinutes * MINUTE_MS; // still on the old offset
  let changed = shifted.toMillis(); // already on the new one
  while (changed - before > MINUTE_MS) {
    const mid = before + Math.floor((changed - before) / (2 * MINUTE_MS)) * MINUTE_MS;
    if (zone.offset(mid) === after) changed = mid;
    else before = mid;
  }
  return DateTime.fromMillis(changed, { zone });
}

export function isWeekend(date: DateTime): boolean {
  return date.weekday >= 6;
}

/** Adds business days (no weekends, no public holidays of the country) to a local date. */
export function addBusinessDays(
  isoDate: string,
  count: number,
  country: string,
  calendar: HolidayCalendar,
): string {
  let date = DateTime.fromISO(isoDate, { zone: 'UTC' });
  const step = count >= 0 ? 1 : -1;
  let remaining = Math.abs(count);
  while (remaining > 0) {
    date = date.plus({ days: step });
    const iso = date.toISODate() ?? isoDate;
    if (!isWeekend(date) && !calendar.isPublicHoliday(country, iso)) remaining -= 1;
  }
  return date.toISODate() ?? isoDate;
}

export function addCalendarDays(isoDate: string, days: number): string {
  return DateTime.fromISO(isoDate, { zone: 'UTC' }).plus({ days }).toISODate() ?? isoDate;
}

/** Whole calendar days from one local date to another (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round(
    DateTime.fromISO(b, { zone: 'UTC' }).diff(DateTime.fromISO(a, { zone: 'UTC' }), 'days').days,
  );
}
