import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { scheduleSchema, type ScheduleConfig } from '../../config/schema';
import { daysBetween } from '../../domain/calendar';
import { planInstallments, planSteps, rebaseSteps, type PlanContext } from '../../domain/schedule';
import { pendingAfterLateEntry, type PlannedStep } from '../../domain/sequence-types';
import { at, calendar, defaultConfig, local, PARIS } from '../fixtures/policy';

const standard = defaultConfig.schedules['invoice-standard'] as ScheduleConfig;
const installmentRule = (() => {
  if (!standard.installments) throw new Error('invoice-standard has an installment rule');
  return standard.installments;
})();

function plan(dueDate: string, ctx: Partial<PlanContext> = {}, schedule = standard): PlannedStep[] {
  return planSteps(schedule, { dueDate, timezone: PARIS, country: 'FR', calendar, ...ctx });
}

const summary = (steps: PlannedStep[], zone = PARIS) => steps.map((s) => `${s.id} ${local(s.at, zone)}`);

/** A schedule with business-day offsets, validated by the same schema as the YAML. */
function businessSchedule(...offsets: number[]): ScheduleConfig {
  return scheduleSchema.parse({
    description: 'business-day steps',
    steps: offsets.map((businessDays, i) => ({
      id: `step-${i}`,
      offset: { businessDays },
      channels: ['email'],
      template: 'invoice-overdue-1',
    })),
    installments: installmentRule,
  });
}

describe('the default invoice-standard schedule', () => {
  it('when it comes from config/default.yaml, then it has the contract steps and channels', () => {
    expect(defaultConfig.defaultSchedule).toBe('invoice-standard');
    expect(standard.sendAt).toBe('09:30');
    expect(standard.steps.map((s) => [s.id, s.offset, s.action, s.channels])).toEqual([
      ['pre-due', { days: -5 }, 'send', ['email']],
      ['overdue-1', { days: 1 }, 'send', ['email']],
      ['overdue-2', { days: 5 }, 'send', ['email', 'sms']],
      ['formal-notice', { days: 12 }, 'send', ['email', 'sms']],
      ['handoff', { days: 20 }, 'handoff', []],
    ]);
  });

  it('when an invoice is due on 15 March 2026, then D-5, D+1, D+5, D+12 and D+20 fall at 09:30 Paris', () => {
    expect(summary(plan('2026-03-15'))).toEqual([
      'pre-due 2026-03-10 09:30 +01:00',
      'overdue-1 2026-03-16 09:30 +01:00',
      'overdue-2 2026-03-20 09:30 +01:00',
      'formal-notice 2026-03-27 09:30 +01:00',
      // After the spring-forward night of 29 March: still 09:30 on the wall clock, one hour less in UTC.
      'handoff 2026-04-04 09:30 +02:00',
    ]);
    expect(plan('2026-03-15').map((s) => s.at.slice(11, 16))).toEqual([
      '08:30',
      '08:30',
      '08:30',
      '08:30',
      '07:30',
    ]);
  });

  it('when the steps straddle the fall-back night of 25 October 2026, then 09:30 local stays 09:30 local', () => {
    const steps = plan('2026-10-20');
    expect(summary(steps)).toEqual([
      'pre-due 2026-10-15 09:30 +02:00',
      'overdue-1 2026-10-21 09:30 +02:00',
      'overdue-2 2026-10-25 09:30 +01:00', // the fall-back Sunday itself
      'formal-notice 2026-11-01 09:30 +01:00',
      'handoff 2026-11-09 09:30 +01:00',
    ]);
    expect(steps.map((s) => s.at.slice(11, 16))).toEqual(['07:30', '07:30', '08:30', '08:30', '08:30']);
  });

  it('when a step would fall on the spring-forward Sunday itself, then it is still at 09:30 local', () => {
    const steps = plan('2026-03-24'); // D+5 = 29 March
    expect(steps.find((s) => s.id === 'overdue-2')).toMatchObject({
      localDate: '2026-03-29',
      at: '2026-03-29T07:30:00.000Z',
    });
  });

  it('when the contact lives in another zone, then the steps are at 09:30 in that zone', () => {
    expect(summary(plan('2026-03-15', { timezone: 'America/Los_Angeles' }), 'America/Los_Angeles')).toEqual([
      'pre-due 2026-03-10 09:30 -07:00', // US DST began on 8 March
      'overdue-1 2026-03-16 09:30 -07:00',
      'overdue-2 2026-03-20 09:30 -07:00',
      'formal-notice 2026-03-27 09:30 -07:00',
      'handoff 2026-04-04 09:30 -07:00',
    ]);
  });

  it('when a step has its own time, then that time is used instead of sendAt', () => {
    const schedule = scheduleSchema.parse({
      ...standard,
      steps: [{ id: 'early', offset: { days: 0 }, at: '08:15', channels: ['email'], template: 't' }],
    });
    expect(summary(plan('2026-03-15', {}, schedule))).toEqual(['early 2026-03-15 08:15 +01:00']);
  });
});

describe('business-day offsets', () => {
  it('when the offset crosses a weekend and Easter Monday, then those days are skipped in France', () => {
    // Thursday 2 April + 2 business days: Fri 3, (Sat, Sun, Easter Monday 6 April), Tue 7.
    expect(plan('2026-04-02', {}, businessSchedule(2)).map((s) => s.localDate)).toEqual(['2026-04-07']);
  });

  it('when the contact is British, then Good Friday is skipped too', () => {
    // Fri 3 April is Good Friday in GB, not in FR.
    const steps = plan('2026-04-02', { country: 'GB', timezone: 'Europe/London' }, businessSchedule(2));
    expect(steps.map((s) => s.localDate)).toEqual(['2026-04-08']);
  });

  it('when the offset crosses 1 May, 8 May and Ascension 2026, then each is skipped', () => {
    expect(plan('2026-04-30', {}, businessSchedule(1, 5)).map((s) => s.localDate)).toEqual([
      '2026-05-04', // Fri 1 May is a holiday, then the weekend
      '2026-05-11', // Mon 4 … Thu 7, (Fri 8 May), Mon 11
    ]);
    expect(plan('2026-05-13', {}, businessSchedule(1)).map((s) => s.localDate)).toEqual(['2026-05-15']);
  });

  it('when the offset is negative, then it counts back over holidays and weekends', () => {
    // Monday 11 May - 1 business day: (Sun 10, Sat 9, Fri 8 May) -> Thursday 7 May.
    expect(plan('2026-05-11', {}, businessSchedule(-1)).map((s) => s.localDate)).toEqual(['2026-05-07']);
  });

  it('when business-day steps are placed, then they keep the schedule time in the contact zone', () => {
    expect(summary(plan('2026-04-02', {}, businessSchedule(2)))).toEqual(['step-0 2026-04-07 09:30 +02:00']);
  });
});

describe('late entry', () => {
  const steps = plan('2026-03-15');

  it('when an invoice enters after some steps are due, then only the latest due step remains, then the rest', () => {
    const pending = pendingAfterLateEntry(steps, Date.parse(at('2026-03-21T10:00')));
    expect(pending.map((s) => s.id)).toEqual(['overdue-2', 'formal-notice', 'handoff']);
    // The steps after it keep their own dates: no burst of missed reminders.
    expect(pending.slice(1)).toEqual(steps.slice(3));
  });

  it('when nothing is due yet, then every step remains', () => {
    expect(pendingAfterLateEntry(steps, Date.parse(at('2026-03-01T10:00')))).toEqual(steps);
  });

  it('when the invoice enters exactly at a step time, then that step counts as due', () => {
    const pending = pendingAfterLateEntry(steps, Date.parse(at('2026-03-16T09:30')));
    expect(pending.map((s) => s.id)).toEqual(['overdue-1', 'overdue-2', 'formal-notice', 'handoff']);
  });

  it('when everything is past, then only the handoff remains', () => {
    expect(pendingAfterLateEntry(steps, Date.parse(at('2026-06-01T10:00'))).map((s) => s.id)).toEqual([
      'handoff',
    ]);
  });
});

describe('rebasing after a pause', () => {
  const remaining = plan('2026-03-15').slice(2); // overdue-2, formal-notice, handoff

  it('when escalation resumes weeks late, then the next step goes now and the others keep their spacing', () => {
    const now = at('2026-04-10T16:00');
    const rebased = rebaseSteps(remaining, now, PARIS);
    expect(summary(rebased)).toEqual([
      'overdue-2 2026-04-10 16:00 +02:00',
      'formal-notice 2026-04-17 09:30 +02:00',
      'handoff 2026-04-25 09:30 +02:00',
    ]);
    const gaps = (list: PlannedStep[]) =>
      list.slice(1).map((s, i) => daysBetween(list[i]?.localDate ?? s.localDate, s.localDate));
    expect(gaps(rebased)).toEqual(gaps(remaining));
  });

  it('when the next step is still in the future, then nothing moves', () => {
    expect(rebaseSteps(remaining, at('2026-03-18T12:00'), PARIS)).toEqual(remaining);
  });

  it('when nothing remains, then there is nothing to rebase', () => {
    expect(rebaseSteps([], at('2026-04-10T16:00'), PARIS)).toEqual([]);
  });
});

describe('installment plans', () => {
  const installments = [
    { dueDate: '2026-04-15', amountMinor: 40_000 },
    { dueDate: '2026-05-15', amountMinor: 40_000 },
    { dueDate: '2026-06-15', amountMinor: 45_067 },
  ];
  const points = planInstallments(installments, installmentRule, '09:30', PARIS);

  it('when a plan is agreed, then each installment gets a reminder 3 days before and a check after 2 grace days', () => {
    expect(points.map((p) => `${p.kind} #${p.index} ${local(p.at)}`)).toEqual([
      'reminder #0 2026-04-12 09:30 +02:00',
      'check #0 2026-04-18 00:00 +02:00',
      'reminder #1 2026-05-12 09:30 +02:00',
      'check #1 2026-05-18 00:00 +02:00',
      'reminder #2 2026-06-12 09:30 +02:00',
      'check #2 2026-06-18 00:00 +02:00',
    ]);
  });

  it('when an installment is checked, then it knows the total that should have been paid by then', () => {
    expect(points.filter((p) => p.kind === 'check').map((p) => p.cumulativeMinor)).toEqual([
      40_000, 80_000, 125_067,
    ]);
  });

  it('when installments come out of order or close together, then the points are still in time order', () => {
    const close = planInstallments(
      [
        { dueDate: '2026-04-20', amountMinor: 1 },
        { dueDate: '2026-04-16', amountMinor: 1 },
      ],
      installmentRule,
      '09:30',
      PARIS,
    );
    const times = close.map((p) => DateTime.fromISO(p.at).toMillis());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(close.map((p) => `${p.kind}#${p.index}`)).toEqual([
      'reminder#1',
      'reminder#0',
      'check#1',
      'check#0',
    ]);
  });
});
