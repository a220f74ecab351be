/**
 * Recurrence of a campaign (contract section 5): `{ days, time, timezone, until? }`. A run is
 * named by its local date (`<campaignId>/<YYYY-MM-DD>`). In a fixed zone the run starts at `time`
 * on that date there; with `"recipient"`, each recipient gets it at `time` on that date in their
 * own zone, so the run opens when the first zone on Earth reaches that hour (UTC+14) and closes
 * when the last one does (UTC−12).
 *
 * Time changes: `time` is a wall-clock hour, kept across DST (10:00 stays 10:00 local). A time
 * that does not exist on a spring-forward day (02:30 in Paris on the last Sunday of March) is
 * moved forward by the gap (03:30), as luxon resolves it; an ambiguous one on the autumn day is
 * the first of the two (the summer-time instant).
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { formatPath, invalidInput } from './errors';
import { isValidTimeZone, zInstant } from './validators';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The zones furthest ahead of and behind UTC: a recipient-time run spans both. */
const EARLIEST_ZONE = 'UTC+14';
const LATEST_ZONE = 'UTC-12';

export const recurrenceSchema = z.strictObject({
  days: z
    .array(z.enum(WEEKDAYS, { error: `a day: ${WEEKDAYS.join(', ')}` }), { error: 'a list of days' })
    .min(1, 'at least one day')
    .refine((days) => new Set(days).size === days.length, 'each day once'),
  time: z
    .string({ error: 'a time HH:MM' })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM between 00:00 and 23:59'),
  timezone: z
    .string({ error: 'an IANA time zone or "recipient"' })
    .refine((zone) => zone === 'recipient' || isValidTimeZone(zone), {
      message: 'an IANA time zone such as "Europe/Paris", or "recipient"',
    }),
  until: zInstant.optional(),
});

export type Recurrence = z.infer<typeof recurrenceSchema>;

/** A valid recurrence whose `until` is not already past at `now`, or a 400 naming each path. */
export function parseRecurrence(input: unknown, now: string, prefix: PropertyKey[] = []): Recurrence {
  const parsed = recurrenceSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((key) => ({
            path: formatPath([...prefix, ...i.path, key]),
            message: 'unknown key: a recurrence is { days, time, timezone, until? }',
          }))
        : [{ path: formatPath([...prefix, ...i.path]), message: i.message }],
    );
    throw invalidInput(issues, 'Invalid recurrence');
  }
  const { until } = parsed.data;
  if (until && Date.parse(until) <= Date.parse(now))
    throw invalidInput(
      [{ path: formatPath([...prefix, 'until']), message: `expected an instant after now (${now})` }],
      'Invalid recurrence',
    );
  return parsed.data;
}

/** One run of a recurring campaign: its local date and the instants it spans. */
export interface PlannedRun {
  /** The run's local date, YYYY-MM-DD (the run id's suffix). */
  date: string;
  /** When the first recipient's message is due (UTC ISO). */
  opensAt: string;
  /** When the last recipient's message is due (UTC ISO); equal to opensAt in a fixed zone. */
  closesAt: string;
}

/** The instant of `time` on `date` in `zone` (UTC ISO). */
export function localRunInstant(date: string, time: string, zone: string): string {
  const [hour, minute] = time.split(':').map(Number);
  const local = DateTime.fromISO(date, { zone }).set({ hour, minute, second: 0, millisecond: 0 });
  const iso = local.toUTC().toISO();
  if (!iso) throw new Error(`no instant for ${date} ${time} in ${zone}`);
  return iso;
}

/** When a recipient in `zone` gets the run of `date`. */
export function recipientSendAt(recurrence: Recurrence, date: string, recipientZone: string): string {
  const zone = recurrence.timezone === 'recipient' ? recipientZone : recurrence.timezone;
  return localRunInstant(date, recurrence.time, zone);
}

function runOn(recurrence: Recurrence, date: string): PlannedRun {
  if (recurrence.timezone !== 'recipient') {
    const at = localRunInstant(date, recurrence.time, recurrence.timezone);
    return { date, opensAt: at, closesAt: at };
  }
  return {
    date,
    opensAt: localRunInstant(date, recurrence.time, EARLIEST_ZONE),
    closesAt: localRunInstant(date, recurrence.time, LATEST_ZONE),
  };
}

/**
 * The first run that opens strictly after `after` (UTC ISO), or null when `until` comes first.
 * Looks at most two weeks ahead, which always holds one of the recurrence's days.
 */
export function nextRun(recurrence: Recurrence, after: string): PlannedRun | null {
  const zone = recurrence.timezone === 'recipient' ? EARLIEST_ZONE : recurrence.timezone;
  const afterMs = Date.parse(after);
  let day = DateTime.fromMillis(afterMs, { zone }).startOf('day').minus({ days: 1 });
  for (let i = 0; i < 16; i += 1, day = day.plus({ days: 1 })) {
    const weekday = WEEKDAYS[day.weekday - 1];
    if (!weekday || !recurrence.days.includes(weekday)) continue;
    const run = runOn(recurrence, day.toISODate() ?? '');
    if (Date.parse(run.opensAt) <= afterMs) continue;
    if (recurrence.until && Date.parse(run.opensAt) > Date.parse(recurrence.until)) return null;
    return run;
  }
  return null;
}

/** The runs that open in (after, through], in order (for previews and the simulator's timeline). */
export function runsBetween(
  recurrence: Recurrence,
  after: string,
  through: string,
  limit = 500,
): PlannedRun[] {
  const runs: PlannedRun[] = [];
  let cursor = after;
  while (runs.length < limit) {
    const run = nextRun(recurrence, cursor);
    if (!run || Date.parse(run.opensAt) > Date.parse(through)) break;
    runs.push(run);
    cursor = run.opensAt;
  }
  return runs;
}
