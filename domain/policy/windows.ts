/**
 * Send windows: per channel, weekday ranges of contact-local hours, closed on the country's public
 * holidays where configured. DST-safe: ranges are resolved on each local date with luxon.
 */
import type { DateTime } from 'luxon';
import '../zone-offsets';
import type { WindowConfig, Weekday } from '../config-shapes';
import { localInstant, type HolidayCalendar } from '../calendar';
import { answersOf, remembered } from '../remembered';

const weekdays: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const SEARCH_DAYS = 400;

export interface WindowAnswer {
  /** The earliest instant at or after the one asked that lies inside a window. */
  opensAt: DateTime;
  /** Why the instant asked was closed (quiet hours, a weekday, a holiday); undefined when open. */
  closedBecause?: string;
}

/** Answers already given, per windows configuration and calendar (both are fixed once loaded). */
const asked = new WeakMap<WindowConfig, WeakMap<HolidayCalendar, Map<string, WindowAnswer>>>();
const REMEMBERED_PER_CONFIG = 10_000;

/**
 * The answer is a pure function of its inputs, so it is remembered: a campaign page asks the same
 * question (the same instant, zone and country) for most of its 1,000 recipients, and working it
 * out costs a holiday lookup and several luxon conversions per day searched.
 */
export function nextWindowOpening(
  at: DateTime,
  ranges: WindowConfig,
  zone: string,
  country: string,
  calendar: HolidayCalendar,
): WindowAnswer {
  const byCalendar = answersOf(
    asked,
    ranges,
    () => new WeakMap<HolidayCalendar, Map<string, WindowAnswer>>(),
  );
  const answers = answersOf(byCalendar, calendar, () => new Map<string, WindowAnswer>());
  const answer = remembered(answers, `${at.toMillis()} ${zone} ${country}`, REMEMBERED_PER_CONFIG, () =>
    windowOpening(at, ranges, zone, country, calendar),
  );
  // Open at once: the instant asked, as the caller holds it (its zone included).
  return answer.opensAt.toMillis() === at.toMillis() ? { ...answer, opensAt: at } : answer;
}

function windowOpening(
  at: DateTime,
  ranges: WindowConfig,
  zone: string,
  country: string,
  calendar: HolidayCalendar,
): WindowAnswer {
  const local = at.setZone(zone);
  let firstReason: string | undefined;
  for (let offset = 0; offset < SEARCH_DAYS; offset += 1) {
    const day = local.startOf('day').plus({ days: offset });
    const isoDate = day.toISODate() ?? '';
    const weekday = weekdays[day.weekday - 1] ?? 'mon';
    const holiday = calendar.holidayName(country, isoDate);
    const todays = ranges
      .filter((r) => r.days.includes(weekday) && !(r.skipPublicHolidays && holiday))
      .sort((a, b) => a.from.localeCompare(b.from));
    if (todays.length === 0 && offset === 0) {
      const skipped = ranges.some((r) => r.days.includes(weekday));
      firstReason = skipped && holiday ? `public holiday (${holiday})` : `no sending on ${weekday}`;
    }
    for (const range of todays) {
      const opens = localInstant(isoDate, range.from, zone);
      const closes = localInstant(isoDate, range.to, zone);
      // A range inside the hour skipped by spring-forward (02:00–02:45) does not exist that day.
      if (local < closes && opens < closes) {
        if (local >= opens) return { opensAt: at, ...(firstReason ? { closedBecause: firstReason } : {}) };
        return {
          opensAt: opens,
          closedBecause: firstReason ?? `quiet hours (window ${range.from}–${range.to})`,
        };
      }
    }
    if (offset === 0 && !firstReason && todays.length > 0)
      firstReason = 'quiet hours (after the last window)';
  }
  throw new Error(`No send window in the next ${SEARCH_DAYS} days: check the windows configuration`);
}
