/**
 * Calendar dates as Relance accepts them (YYYY-MM-DD, a day that exists, years 1900 to 2999).
 * Pure and dependency-free, so workflow code (a hand-off action's validator) and the schemas ask
 * the same question.
 */

/**
 * Years 1900 to 2999: far inside what PostgreSQL, JS Date, luxon and Temporal timers handle (year
 * 0000 is refused by PostgreSQL, year 10000 has no four-digit ISO form), with room for schedule
 * offsets, and dates of one form still compare as strings.
 */
export const FIRST_DATE = '1900-01-01';
export const LAST_DATE = '2999-12-31';

/** A YYYY-MM-DD date that exists in the Gregorian calendar (2026-02-30 does not). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one (UTC: no zone, no clock read).
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A YYYY-MM-DD date within the accepted years (as strings of one form, they compare as dates). */
export function isDateInRange(value: string): boolean {
  return value >= FIRST_DATE && value <= LAST_DATE;
}
