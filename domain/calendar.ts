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

/** date-holidays, cached per country and year (a year's list is computed once). */
export function createHolidayCalendar(): HolidayCalendar {
  const cache = new Map<string, Map<string, string>>();
  const yearOf = (country: string, year: number): Map<string, string> => {
    const key = `${country}:${year}`;
    let days = cache.get(key);
    if (!days) {
      days = new Map();
      const holidays = new Holidays(country);
      for (const holiday of holidays.getHolidays(year) || []) {
        if (holiday.type === 'public') days.set(holiday.date.slice(0, 10), holiday.name);
      }
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
