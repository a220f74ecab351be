import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addCalendarDays,
  createHolidayCalendar,
  daysBetween,
  isWeekend,
  localInstant,
} from '../../domain/calendar';

const calendar = createHolidayCalendar();

function publicHolidays(country: string, year: number): string[] {
  const days: string[] = [];
  for (let d = DateTime.utc(year, 1, 1); d.year === year; d = d.plus({ days: 1 })) {
    const iso = d.toISODate() ?? '';
    if (calendar.isPublicHoliday(country, iso)) days.push(iso);
  }
  return days;
}

const localOf = (instant: DateTime) => instant.toISO({ suppressMilliseconds: true, suppressSeconds: true });

describe('public holidays', () => {
  it('when asked about France in 2026, then the eleven public holidays come from date-holidays', () => {
    expect(publicHolidays('FR', 2026)).toEqual([
      '2026-01-01',
      '2026-04-06', // Easter Monday
      '2026-05-01',
      '2026-05-08',
      '2026-05-14', // Ascension
      '2026-05-25', // Whit Monday
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
    expect(calendar.holidayName('FR', '2026-04-06')).toBe('Lundi de Pâques');
  });

  it('when asked about the United Kingdom in 2026, then the nationwide bank holidays are known', () => {
    const gb = publicHolidays('GB', 2026);
    for (const day of [
      '2026-01-01',
      '2026-04-03', // Good Friday
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-12-25',
      '2026-12-26',
      '2026-12-28', // Boxing Day substitute
    ])
      expect(gb).toContain(day);
    expect(calendar.isPublicHoliday('GB', '2026-07-14')).toBe(false);
    expect(calendar.holidayName('GB', '2026-04-03')).toBe('Good Friday');
  });

  it('when a public holiday lasts several days, then every day it covers is a holiday, not just the first', () => {
    // Seollal (Korean New Year) 2026: one entry in date-holidays, three days from 17 February.
    expect(
      ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'].map((d) =>
        calendar.holidayName('KR', d),
      ),
    ).toEqual([undefined, '설날', '설날', '설날', undefined]);
    // Russia's New Year holidays run 2 to 6 January as one entry (1 January is its own holiday).
    expect(publicHolidays('RU', 2026).filter((d) => d < '2026-01-09')).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
      '2026-01-05',
      '2026-01-06',
      '2026-01-07',
      '2026-01-08',
    ]);
  });

  it('when a holiday runs from one year into the next, then its days in the new year are holidays too', () => {
    // Incwala in Eswatini: 28 December 2026 for six days, so 1 and 2 January 2027 as well.
    expect(calendar.holidayName('SZ', '2026-12-31')).toBe('Incwala');
    expect(calendar.isPublicHoliday('SZ', '2027-01-02')).toBe(true);
    expect(calendar.isPublicHoliday('SZ', '2027-01-03')).toBe(false);
  });

  it('when a multi-day holiday falls on working days, then business days skip all of it', () => {
    // Chuseok 2026 in Korea: 24 to 26 September (Thursday to Saturday).
    expect(addBusinessDays('2026-09-23', 1, 'KR', calendar)).toBe('2026-09-28');
  });

  it('when a day is an ordinary working day, then it has no holiday name', () => {
    expect(calendar.holidayName('FR', '2026-03-03')).toBeUndefined();
    expect(calendar.isPublicHoliday('FR', '2026-04-05')).toBe(false); // Easter Sunday is a Sunday, not a public holiday
  });
});

describe('local wall-clock times', () => {
  it('when 09:30 is placed on either side of a DST change, then it stays 09:30 on the wall clock', () => {
    expect(localOf(localInstant('2026-03-28', '09:30', 'Europe/Paris'))).toBe('2026-03-28T09:30+01:00');
    expect(localOf(localInstant('2026-03-29', '09:30', 'Europe/Paris'))).toBe('2026-03-29T09:30+02:00');
    expect(localOf(localInstant('2026-10-25', '09:30', 'Europe/Paris'))).toBe('2026-10-25T09:30+01:00');
  });

  it('when a time falls in the hour skipped by spring-forward, then it becomes the first instant after the gap', () => {
    for (const hhmm of ['02:00', '02:30', '02:59']) {
      expect(localOf(localInstant('2026-03-29', hhmm, 'Europe/Paris'))).toBe('2026-03-29T03:00+02:00');
    }
    expect(localOf(localInstant('2026-03-08', '02:15', 'America/Los_Angeles'))).toBe(
      '2026-03-08T03:00-07:00',
    );
    expect(localOf(localInstant('2026-03-29', '01:30', 'Europe/London'))).toBe('2026-03-29T02:00+01:00');
  });

  it('when a time happens twice at fall-back, then the first occurrence is used', () => {
    expect(localOf(localInstant('2026-10-25', '02:30', 'Europe/Paris'))).toBe('2026-10-25T02:30+02:00');
  });
});

describe('day arithmetic', () => {
  it('when days are added across months and years, then the calendar date is right', () => {
    expect(addCalendarDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2026-03-10', -15)).toBe('2026-02-23');
    expect(daysBetween('2026-03-15', '2026-04-04')).toBe(20);
    expect(daysBetween('2026-10-20', '2026-11-09')).toBe(20);
  });

  it('when business days are counted, then weekends and the country holidays are skipped', () => {
    expect(addBusinessDays('2026-03-06', 1, 'FR', calendar)).toBe('2026-03-09'); // Friday -> Monday
    expect(addBusinessDays('2026-12-24', 1, 'FR', calendar)).toBe('2026-12-28'); // over Christmas
    expect(addBusinessDays('2026-12-24', 1, 'GB', calendar)).toBe('2026-12-29'); // and Boxing Day substitute
    expect(addBusinessDays('2026-03-04', 0, 'FR', calendar)).toBe('2026-03-04');
    expect(isWeekend(DateTime.fromISO('2026-03-29'))).toBe(true);
    expect(isWeekend(DateTime.fromISO('2026-03-30'))).toBe(false);
  });
});
