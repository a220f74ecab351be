/**
 * Properties of decide() over arbitrary clocks across 2026 (to the millisecond, DST nights and
 * window edges included), histories, consents, window/cap configurations, and the things that
 * stop a message (tests/fixtures/policy-arbitraries.ts). The oracles below restate the rules
 * independently, in wall-clock terms, rather than calling the policy's own helpers. Each run
 * counts the branches it reached, so a property cannot pass because no case ever got there.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { decide } from '../../domain/policy/decide';
import type { ConsentRecord, Decision, PolicyInput, SuppressReason } from '../../domain/policy/types';
import { calendar } from '../fixtures/policy';
import { DAY, dstNightInputs, inputs, weekdays } from '../fixtures/policy-arbitraries';

const RUNS = { numRuns: 500 };

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

/**
 * Marketing needs a current grant on the consent basis (a grant naming no basis is one), or on
 * legitimate interest when the config allows it; transactional goes unless the channel was withdrawn.
 */
function consentStops(input: PolicyInput): SuppressReason | undefined {
  const { purpose, channel } = input.message;
  let latest: ConsentRecord | undefined;
  // In force: the record effective last (its `at`, but never after its reception), then the one
  // received last, then arrival order.
  const key = (r: ConsentRecord) => {
    const received = Date.parse(r.receivedAt);
    return [Math.min(Date.parse(r.at), received), received, r.seq];
  };
  const later = (a: number[], b: number[]) => {
    const i = a.findIndex((v, k) => v !== b[k]);
    return i >= 0 && (a[i] ?? 0) > (b[i] ?? 0);
  };
  for (const record of input.consents) {
    if (record.channel !== channel || record.purpose !== purpose) continue;
    if (!latest || later(key(record), key(latest))) latest = record;
  }
  if (latest?.granted === false) return 'opted_out';
  if (purpose !== 'marketing') return undefined;
  const basis = latest?.legalBasis ?? 'consent';
  const covers =
    basis === 'consent' || (basis === 'legitimate_interest' && input.config.marketingOnLegitimateInterest);
  return latest && covers ? undefined : 'no_consent';
}

/** Every reason, other than timing, that forbids this message; empty when nothing does. */
function stoppedBy(input: PolicyInput): Set<SuppressReason> {
  const { message, contact } = input;
  const reasons = new Set<SuppressReason>();
  const live = message.subjects.filter((s) => s.condition !== 'settled');
  if (contact.doNotContact) reasons.add('do_not_contact');
  if (message.subjects.length > 0 && live.length === 0) reasons.add('settled');
  if (message.kind === 'escalation' && live.length > 0 && live.every((s) => s.condition === 'paused'))
    reasons.add('paused');
  if (!message.recipient || !message.recipientValid) reasons.add('invalid_address');
  if (input.addressSuppressed) reasons.add('suppressed_address');
  const consent = consentStops(input);
  if (consent) reasons.add(consent);
  if (message.purpose === 'marketing' && input.openEscalation >= input.config.marketingStopsAtEscalation)
    reasons.add('paused');
  if (input.history.some((h) => h.dedupKey === message.dedupKey)) reasons.add('duplicate');
  return reasons;
}

const describeInput = (input: PolicyInput) =>
  `${input.now} ${input.contact.timezone} ${input.message.purpose} ${input.message.channel}`;

/** Which branch of decide() a decision took: send, defer for a window or a cap, or suppress(reason). */
function branchesOf(decision: Decision): string[] {
  if (decision.kind === 'send') return ['send'];
  if (decision.kind === 'suppress') return [`suppress:${decision.reason}`];
  const failed = (rule: string) => decision.checks.some((c) => c.rule === rule && !c.ok);
  return [...(failed('window') ? ['defer-window'] : []), ...(failed('cap') ? ['defer-cap'] : [])];
}

/** Counts what a property's cases reached; `atLeast` fails the test when a branch was starved. */
function branchCounter() {
  const counts = new Map<string, number>();
  return {
    hit: (branch: string): void => {
      counts.set(branch, (counts.get(branch) ?? 0) + 1);
    },
    atLeast: (minimums: Record<string, number>): void => {
      const reached = Object.fromEntries(Object.keys(minimums).map((b) => [b, counts.get(b) ?? 0]));
      const starved = Object.entries(minimums).filter(([b, min]) => (counts.get(b) ?? 0) < min);
      expect(starved, `branches reached: ${JSON.stringify(reached)}`).toEqual([]);
    },
  };
}

/** What must hold whenever decide() says send. */
function checkSend(input: PolicyInput, decision = decide(input)): void {
  if (decision.kind !== 'send') return;
  const now = Date.parse(input.now);
  expect([...stoppedBy(input)], `stopped: ${describeInput(input)}`).toEqual([]);
  expect(insideWindow(now, input), `window: ${describeInput(input)}`).toBe(true);
  expect(capsHold(now, input), `caps: ${describeInput(input)}`).toBe(true);
}

/** What must hold whenever decide() says defer until T: the workflow sleeps until T and asks again. */
function checkDefer(input: PolicyInput, decision = decide(input)): void {
  if (decision.kind !== 'defer') return;
  const until = Date.parse(decision.until);
  expect(until).toBeGreaterThan(Date.parse(input.now));
  expect([...stoppedBy(input)], `stopped: ${describeInput(input)}`).toEqual([]);
  expect(insideWindow(until, input), `window at ${decision.until}: ${describeInput(input)}`).toBe(true);
  expect(capsHold(until, input), `caps at ${decision.until}: ${describeInput(input)}`).toBe(true);
  expect(decide({ ...input, now: decision.until }).kind).toBe('send');
}

/**
 * Every branch of decide() that 500 generated inputs must reach, at about a third of what a run
 * reaches on average (measured over several seeds), so a starved branch fails and luck does not.
 * A cap rarely decides alone (a closed window usually moves the message past it), hence the low
 * floors there; the transactional-cap property below reaches defer-cap far more often.
 */
const EVERY_BRANCH = {
  send: 15,
  'defer-window': 60,
  'defer-cap': 2,
  'suppress:do_not_contact': 12,
  'suppress:settled': 10,
  'suppress:paused': 10,
  'suppress:invalid_address': 15,
  'suppress:suppressed_address': 5,
  'suppress:no_consent': 5,
  'suppress:opted_out': 10,
  'suppress:duplicate': 4,
  'suppress:frequency_cap': 2,
};

describe('policy properties', () => {
  it('when decide() says send, then nothing forbids it, the instant is in a window and every cap holds', () => {
    const branches = branchCounter();
    fc.assert(
      fc.property(inputs, (input) => {
        const decision = decide(input);
        branchesOf(decision).forEach(branches.hit);
        checkSend(input, decision);
      }),
      RUNS,
    );
    branches.atLeast(EVERY_BRANCH);
  });

  it('when decide() defers until T, then T is later, in a window, within caps, and asking again at T sends', () => {
    const branches = branchCounter();
    fc.assert(
      fc.property(inputs, (input) => {
        const decision = decide(input);
        branchesOf(decision).forEach(branches.hit);
        checkDefer(input, decision);
      }),
      RUNS,
    );
    branches.atLeast({ 'defer-window': 60, 'defer-cap': 2 });
  });

  it('when something forbids a message, then it is suppressed for one of those reasons; when nothing does, only a marketing cap suppresses', () => {
    const branches = branchCounter();
    fc.assert(
      fc.property(inputs, (input) => {
        const decision = decide(input);
        const reasons = stoppedBy(input);
        branches.hit(reasons.size > 0 ? 'forbidden' : 'allowed');
        if (reasons.size > 1) branches.hit('several reasons');
        if (reasons.size > 0) {
          expect(decision.kind === 'suppress' && reasons.has(decision.reason), describeInput(input)).toBe(
            true,
          );
        } else if (decision.kind === 'suppress') {
          expect(decision.reason).toBe('frequency_cap');
          expect(input.message.purpose).toBe('marketing');
        }
      }),
      RUNS,
    );
    branches.atLeast({ forbidden: 100, allowed: 100, 'several reasons': 35 });
  });

  it('when clocks change in the night and windows open or close in the changed hour, then both still hold', () => {
    const branches = branchCounter();
    fc.assert(
      fc.property(dstNightInputs, (input) => {
        const decision = decide(input);
        branchesOf(decision).forEach(branches.hit);
        checkSend(input, decision);
        checkDefer(input, decision);
      }),
      RUNS,
    );
    branches.atLeast({ send: 5, 'defer-window': 60 });
  });

  it('when the contact withdrew the channel for that purpose last, then nothing is ever sent or deferred', () => {
    const branches = branchCounter();
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
        const withdrawn = { ...input, consents: [...input.consents, withdrawal] };
        const decision = decide(withdrawn);
        branchesOf(decision).forEach(branches.hit);
        expect(decision.kind).toBe('suppress');
        // Another rule may stop it first (do-not-contact, a settled subject): any of them will do.
        if (decision.kind === 'suppress') expect([...stoppedBy(withdrawn)]).toContain(decision.reason);
      }),
      RUNS,
    );
    branches.atLeast({ 'suppress:opted_out': 200 });
  });

  it('when a transactional message meets a cap, then it is deferred, never dropped', () => {
    const branches = branchCounter();
    fc.assert(
      fc.property(inputs, (input) => {
        const transactional = {
          ...input,
          consents: input.consents.filter((c) => c.granted),
          message: { ...input.message, purpose: 'transactional' as const, kind: 'escalation' as const },
        };
        fc.pre(stoppedBy(transactional).size === 0);
        const decision = decide(transactional);
        branchesOf(decision).forEach(branches.hit);
        expect(['send', 'defer']).toContain(decision.kind);
      }),
      RUNS,
    );
    branches.atLeast({ 'defer-cap': 20, send: 40 });
  });
});
