/**
 * Properties of decide() over arbitrary clocks across 2026 (DST nights included), histories,
 * consents and window/cap configurations. The oracles below restate the rules independently, in
 * wall-clock terms, rather than calling the policy's own helpers.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  policySchema,
  type CapConfig,
  type PolicyConfig,
  type WindowConfig,
  type Weekday,
} from '../../config/schema';
import { decide } from '../../domain/policy/decide';
import type { Channel, ConsentRecord, PolicyInput, Purpose, SentRecord } from '../../domain/policy/types';
import { calendar, defaultPolicy } from '../fixtures/policy';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const RUNS = { numRuns: 500 };
const weekdays: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const channels: Channel[] = ['email', 'sms'];
const purposes: Purpose[] = ['transactional', 'marketing'];
const places = [
  { timezone: 'Europe/Paris', country: 'FR' },
  { timezone: 'Europe/London', country: 'GB' },
  { timezone: 'America/Los_Angeles', country: 'US' },
  { timezone: 'Pacific/Auckland', country: 'NZ' },
  { timezone: 'Asia/Kolkata', country: undefined },
];
/** Nights when clocks change in one of those zones in 2026. */
const dstDays = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-27', '2026-10-25', '2026-11-01'];
/** Window edges, on purpose including times inside the hours skipped or repeated by DST. */
const allEdges = [
  '00:00',
  '01:00',
  '01:30',
  '02:00',
  '02:30',
  '03:00',
  '06:00',
  '08:00',
  '09:00',
  '12:00',
  '14:00',
  '18:00',
  '19:00',
  '20:00',
  '22:00',
  '23:30',
];

const instant2026 = fc
  .oneof(
    fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31, 23, 59) }),
    fc
      .constantFrom(...dstDays)
      .chain((day) =>
        fc.integer({ min: Date.parse(day) - 14 * 60 * MINUTE, max: Date.parse(day) + 36 * 60 * MINUTE }),
      ),
  )
  .map((ms) => ms - (ms % MINUTE));

const nightEdges = [
  '00:30',
  '01:00',
  '01:30',
  '01:45',
  '02:00',
  '02:15',
  '02:30',
  '02:45',
  '03:00',
  '03:30',
  '04:00',
];

const windowRanges = (edges: string[]): fc.Arbitrary<WindowConfig> =>
  fc
    .record({
      edges: fc.uniqueArray(fc.constantFrom(...edges), { minLength: 4, maxLength: 4 }).map((e) => e.sort()),
      days: fc.tuple(fc.subarray(weekdays, { minLength: 1 }), fc.subarray(weekdays, { minLength: 1 })),
      two: fc.boolean(),
      skip: fc.boolean(),
    })
    .map(({ edges: [a = '', b = '', c = '', d = ''], days: [first, second], two, skip }) => [
      { days: first, from: a, to: b, skipPublicHolidays: skip },
      ...(two ? [{ days: second, from: c, to: d, skipPublicHolidays: skip }] : []),
    ]);

const capFor = (purpose: Purpose, channel: Channel): fc.Arbitrary<CapConfig | null> =>
  fc.option(
    fc.record({
      purpose: fc.constant(purpose),
      channel: fc.constant(channel),
      max: fc.integer({ min: 1, max: 3 }),
      per: fc.oneof(
        fc.constant('local_day' as const),
        fc.record({ rollingDays: fc.integer({ min: 1, max: 7 }) }),
      ),
    }),
  );

const policies = (edges: string[]): fc.Arbitrary<PolicyConfig> =>
  fc
    .record({
      email: fc.oneof(
        { arbitrary: windowRanges(edges), weight: 3 },
        fc.constant(defaultPolicy.windows.email),
      ),
      sms: fc.oneof({ arbitrary: windowRanges(edges), weight: 3 }, fc.constant(defaultPolicy.windows.sms)),
      caps: fc.tuple(...purposes.flatMap((p) => channels.map((c) => capFor(p, c)))),
    })
    .map(({ email, sms, caps }) =>
      policySchema.parse({
        ...defaultPolicy,
        windows: { email, sms },
        caps: caps.filter((cap): cap is CapConfig => cap !== null),
      }),
    );

const sampleOf = (clock: fc.Arbitrary<number>, edges: string[]) =>
  fc.record({
    clock,
    daytime: fc.boolean(),
    place: fc.constantFrom(...places),
    channel: fc.constantFrom(...channels),
    purpose: fc.constantFrom(...purposes),
    config: policies(edges),
    history: fc.array(
      fc.record({
        ago: fc.oneof(fc.integer({ min: 0, max: 2 * DAY }), fc.integer({ min: 0, max: 10 * DAY })),
        channel: fc.constantFrom(...channels),
        purpose: fc.constantFrom(...purposes),
      }),
      { maxLength: 30 },
    ),
    optedIn: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
    consents: fc.array(
      fc.record({
        ago: fc.integer({ min: 0, max: 400 * DAY }),
        channel: fc.constantFrom(...channels),
        purpose: fc.constantFrom(...purposes),
        granted: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
      }),
      { maxLength: 5 },
    ),
    openEscalation: fc.integer({ min: 0, max: 3 }),
  });

function toInput(sample: Sample): PolicyInput {
  const { place, channel, purpose, clock } = sample;
  // Half the clocks move to office hours in the contact's zone, where most windows are open.
  const local = DateTime.fromMillis(clock, { zone: place.timezone });
  const now = sample.daytime ? local.set({ hour: 10 + (clock % 7), minute: clock % 60 }).toMillis() : clock;
  const iso = (ago: number) => new Date(now - ago).toISOString();
  const optIn: ConsentRecord[] = sample.optedIn
    ? [
        {
          channel,
          purpose,
          granted: true,
          at: iso(500 * DAY),
          receivedAt: iso(500 * DAY),
          seq: 0,
          source: 'sign-up',
        },
      ]
    : [];
  return {
    now: iso(0),
    message: {
      purpose,
      channel,
      dedupKey: `sequence/step/${channel}`,
      kind: purpose === 'marketing' ? 'offer' : 'escalation',
      recipient: channel === 'email' ? 'marie@example.com' : '+33612345678',
      recipientValid: true,
      subjects: purpose === 'marketing' ? [] : [{ id: 'INV-1', condition: 'open' }],
    },
    contact: { ...place, doNotContact: false },
    // Received when dated, in list order: the pure rule orders by reception (receivedAt, seq).
    consents: [
      ...optIn,
      ...sample.consents.map((c, i) => ({
        ...c,
        at: iso(c.ago),
        receivedAt: iso(c.ago),
        seq: i + 1,
        source: 'generated',
      })),
    ],
    addressSuppressed: false,
    history: sample.history.map((h, i): SentRecord => ({ ...h, at: iso(h.ago), dedupKey: `earlier/${i}` })),
    openEscalation: sample.openEscalation,
    config: sample.config,
    calendar,
  };
}

type Sample = ReturnType<typeof sampleOf> extends fc.Arbitrary<infer T> ? T : never;
const inputs: fc.Arbitrary<PolicyInput> = sampleOf(instant2026, allEdges).map(toInput);
/** The nights clocks change in each zone, and window edges around the changed hours. */
const nights = [
  { place: places[0], days: ['2026-03-29', '2026-10-25'] },
  { place: places[1], days: ['2026-03-29', '2026-10-25'] },
  { place: places[2], days: ['2026-03-08', '2026-11-01'] },
  { place: places[3], days: ['2026-09-27', '2026-04-05'] },
];
const dstNightInputs: fc.Arbitrary<PolicyInput> = fc
  .tuple(
    sampleOf(instant2026, nightEdges),
    fc.constantFrom(...nights),
    fc.boolean(),
    fc.integer({ min: 0, max: 6 * 60 }),
  )
  .map(([sample, night, spring, minutes]) => {
    const place = night.place ?? sample.place;
    const day = (spring ? night.days[0] : night.days[1]) ?? '2026-03-29';
    const clock = DateTime.fromISO(day, { zone: place.timezone }).plus({ minutes }).toMillis();
    const everyDay = (ranges: WindowConfig): WindowConfig => ranges.map((r) => ({ ...r, days: weekdays }));
    const windows = {
      email: everyDay(sample.config.windows.email),
      sms: everyDay(sample.config.windows.sms),
    };
    return toInput({ ...sample, place, clock, daytime: false, config: { ...sample.config, windows } });
  });

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const wallMinutes = (t: DateTime) => t.hour * 60 + t.minute;

/**
 * Inside a window of the channel in the contact's zone: the weekday is allowed, the day is not a
 * skipped holiday, and the wall clock is between from and to. When clocks went back, a window that
 * opened before the change stays open through the repeated hour (it does not close and reopen).
 */
function insideWindow(ms: number, input: PolicyInput): boolean {
  const zone = input.contact.timezone;
  const t = DateTime.fromMillis(ms, { zone });
  const date = t.toISODate() ?? '';
  const weekday = weekdays[t.weekday - 1] ?? 'mon';
  const holiday = calendar.isPublicHoliday(input.contact.country ?? input.config.defaultCountry, date);
  const wall = wallMinutes(t);
  let highestToday = wall;
  for (let back = 5; back <= 120; back += 5) {
    const earlier = t.minus({ minutes: back });
    if (earlier.toISODate() !== date) break;
    highestToday = Math.max(highestToday, wallMinutes(earlier));
  }
  return input.config.windows[input.message.channel].some(
    (range) =>
      range.days.includes(weekday) &&
      !(range.skipPublicHolidays && holiday) &&
      minutesOf(range.from) <= highestToday &&
      wall < minutesOf(range.to),
  );
}

/** Every cap of the message's purpose and channel counts fewer messages than its max at that instant. */
function capsHold(ms: number, input: PolicyInput): boolean {
  const { purpose, channel } = input.message;
  const zone = input.contact.timezone;
  const t = DateTime.fromMillis(ms, { zone });
  const counted = input.history
    .filter((h) => h.purpose === purpose && h.channel === channel)
    .map((h) => Date.parse(h.at));
  return input.config.caps
    .filter((cap) => cap.purpose === purpose && cap.channel === channel)
    .every((cap) => {
      if (cap.per === 'local_day') {
        const day = t.toISODate();
        return counted.filter((c) => DateTime.fromMillis(c, { zone }).toISODate() === day).length < cap.max;
      }
      const since = t.minus({ days: cap.per.rollingDays }).toMillis();
      return counted.filter((c) => c > since && c <= ms).length < cap.max;
    });
}

/** Marketing needs a current grant; transactional goes unless the channel was withdrawn. */
function consentAllows(input: PolicyInput): boolean {
  const { purpose, channel } = input.message;
  let latest: ConsentRecord | undefined;
  const key = (r: ConsentRecord) => [Date.parse(r.receivedAt), r.seq] as const;
  for (const record of input.consents) {
    if (record.channel !== channel || record.purpose !== purpose) continue;
    const [t, n] = key(record);
    if (!latest || t > key(latest)[0] || (t === key(latest)[0] && n > key(latest)[1])) latest = record;
  }
  return purpose === 'marketing' ? latest?.granted === true : latest?.granted !== false;
}

const describeInput = (input: PolicyInput) =>
  `${input.now} ${input.contact.timezone} ${input.message.purpose} ${input.message.channel}`;

/** What must hold whenever decide() says send. */
function checkSend(input: PolicyInput): void {
  const decision = decide(input);
  if (decision.kind !== 'send') return;
  const now = Date.parse(input.now);
  expect(insideWindow(now, input), `window: ${describeInput(input)}`).toBe(true);
  expect(capsHold(now, input), `caps: ${describeInput(input)}`).toBe(true);
  expect(consentAllows(input), `consent: ${describeInput(input)}`).toBe(true);
}

/** What must hold whenever decide() says defer until T: the workflow sleeps until T and asks again. */
function checkDefer(input: PolicyInput): void {
  const decision = decide(input);
  if (decision.kind !== 'defer') return;
  const until = Date.parse(decision.until);
  expect(until).toBeGreaterThan(Date.parse(input.now));
  expect(insideWindow(until, input), `window at ${decision.until}: ${describeInput(input)}`).toBe(true);
  expect(capsHold(until, input), `caps at ${decision.until}: ${describeInput(input)}`).toBe(true);
  expect(consentAllows(input)).toBe(true);
  expect(decide({ ...input, now: decision.until }).kind).toBe('send');
}

describe('policy properties', () => {
  it('when decide() says send, then the instant is in a window, every cap holds and consent allows', () => {
    fc.assert(fc.property(inputs, checkSend), RUNS);
  });

  it('when decide() defers until T, then T is later, in a window, within caps, and asking again at T sends', () => {
    fc.assert(fc.property(inputs, checkDefer), RUNS);
  });

  it('when clocks change in the night and windows open or close in the changed hour, then both still hold', () => {
    fc.assert(
      fc.property(dstNightInputs, (input) => {
        checkSend(input);
        checkDefer(input);
      }),
      RUNS,
    );
  });

  it('when the contact withdrew the channel for that purpose last, then nothing is ever sent or deferred', () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 0, max: 30 * DAY }), (input, ago) => {
        const at = Date.parse(input.now) - ago;
        const newest = Math.max(at, ...input.consents.map((c) => Date.parse(c.receivedAt)));
        const withdrawal: ConsentRecord = {
          channel: input.message.channel,
          purpose: input.message.purpose,
          granted: false,
          at: new Date(newest).toISOString(),
          receivedAt: new Date(newest).toISOString(),
          seq: input.consents.length + 1,
          source: 'STOP',
        };
        const decision = decide({ ...input, consents: [...input.consents, withdrawal] });
        expect(decision).toMatchObject({ kind: 'suppress', reason: 'opted_out' });
      }),
      RUNS,
    );
  });

  it('when a transactional message meets a cap, then it is deferred, never dropped', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const transactional = {
          ...input,
          consents: [],
          message: { ...input.message, purpose: 'transactional' as const, kind: 'escalation' as const },
        };
        expect(['send', 'defer']).toContain(decide(transactional).kind);
      }),
      RUNS,
    );
  });
});
