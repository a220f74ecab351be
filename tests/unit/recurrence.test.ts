/** Weekly campaign runs placed in time: wall-clock hours kept across time changes, recipient zones, bad input. */
import { describe, expect, it } from 'vitest';
import { RelanceError } from '../../domain/errors';
import {
  nextRun,
  parseRecurrence,
  recipientSendAt,
  runsBetween,
  type Recurrence,
} from '../../domain/recurrence';

const NOW = '2026-03-01T12:00:00Z';
const issuesOf = (input: unknown) => {
  try {
    parseRecurrence(input, NOW, ['recurrence']);
  } catch (error) {
    if (error instanceof RelanceError) return error.issues.map((i) => i.path);
    throw error;
  }
  return [];
};
const mondays: Recurrence = { days: ['mon'], time: '10:00', timezone: 'Europe/Paris' };

describe('recurrence', () => {
  it('when a weekly Paris run crosses the March time change, then it stays at 10:00 local (09:00Z, then 08:00Z)', () => {
    const runs = runsBetween(mondays, '2026-03-16T00:00:00Z', '2026-04-07T00:00:00Z');
    expect(runs.map((r) => [r.date, r.opensAt])).toEqual([
      ['2026-03-16', '2026-03-16T09:00:00.000Z'],
      ['2026-03-23', '2026-03-23T09:00:00.000Z'],
      ['2026-03-30', '2026-03-30T08:00:00.000Z'],
      ['2026-04-06', '2026-04-06T08:00:00.000Z'],
    ]);
  });

  it('when the run time has just passed, then the next run is the following matching day', () => {
    const run = nextRun({ ...mondays, days: ['mon', 'thu'] }, '2026-03-16T09:00:00Z');
    expect(run?.date).toBe('2026-03-19');
  });

  it('when the campaign runs at recipient time, then each recipient gets 10:00 in their own zone on the same date', () => {
    const recurrence: Recurrence = { days: ['mon'], time: '10:00', timezone: 'recipient' };
    const run = nextRun(recurrence, '2026-03-28T00:00:00Z');
    expect(run?.date).toBe('2026-03-30');
    expect(recipientSendAt(recurrence, '2026-03-30', 'Europe/Paris')).toBe('2026-03-30T08:00:00.000Z');
    expect(recipientSendAt(recurrence, '2026-03-30', 'America/New_York')).toBe('2026-03-30T14:00:00.000Z');
    expect(recipientSendAt(recurrence, '2026-03-30', 'Europe/London')).toBe('2026-03-30T09:00:00.000Z');
    expect(run && Date.parse(run.opensAt) <= Date.parse('2026-03-30T08:00:00Z')).toBe(true);
    expect(run && Date.parse(run.closesAt) >= Date.parse('2026-03-30T14:00:00Z')).toBe(true);
  });

  it('when the time does not exist on the spring-forward day, then the run moves forward by the gap', () => {
    const run = nextRun({ days: ['sun'], time: '02:30', timezone: 'Europe/Paris' }, '2026-03-28T00:00:00Z');
    expect(run).toMatchObject({ date: '2026-03-29', opensAt: '2026-03-29T01:30:00.000Z' });
  });

  it('when until comes before the next run, then there is no next run', () => {
    expect(nextRun({ ...mondays, until: '2026-03-20T00:00:00Z' }, '2026-03-16T10:00:00Z')).toBeNull();
  });

  it('when the recurrence is malformed, then every offending path is named', () => {
    expect(issuesOf({ days: [], time: '10:00', timezone: 'Europe/Paris' })).toEqual(['recurrence.days']);
    expect(issuesOf({ days: ['mon'], time: '25:00', timezone: 'Europe/Paris' })).toEqual(['recurrence.time']);
    expect(issuesOf({ days: ['mon'], time: '10h', timezone: 'Mars/Olympus' })).toEqual([
      'recurrence.time',
      'recurrence.timezone',
    ]);
    expect(issuesOf({ days: ['monday'], time: '10:00', timezone: 'recipient' })).toEqual([
      'recurrence.days[0]',
    ]);
    expect(issuesOf({ days: ['mon'], time: '10:00', timezone: 'UTC', every: 2 })).toEqual([
      'recurrence.every',
    ]);
  });

  it('when until is already past, then the recurrence is refused naming until', () => {
    expect(
      issuesOf({ days: ['mon'], time: '10:00', timezone: 'UTC', until: '2026-02-01T00:00:00Z' }),
    ).toEqual(['recurrence.until']);
  });
});
