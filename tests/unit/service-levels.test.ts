/**
 * Service levels of hand-off tasks: due-by times in business days on the contact's calendar
 * (French public holidays from date-holidays, weekends), at the end of the business day in the
 * contact's zone; and which tasks are late.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import { createHolidayCalendar } from '../../domain/calendar';
import { RelanceError } from '../../domain/errors';
import { dueBy, overdue, type ContactCalendar } from '../../domain/service-levels';

const holidays = createHolidayCalendar();
const levels = loadConfig().handoffs.sla;
const paris: ContactCalendar = { timezone: 'Europe/Paris', country: 'FR', holidays };

describe('due-by time of a hand-off task', () => {
  it('when no override is given, then the defaults are 2 business days for dunning and replies, 5 for disputes and complaints, ending at 18:00', () => {
    expect(levels).toEqual({ dunning: 2, dispute: 5, complaint: 5, reply: 2, endOfBusinessDay: '18:00' });
  });

  it('when a dunning hand-off opens on the Thursday before 1 May, then the holiday and the weekend do not count: due Tuesday 18:00 Paris', () => {
    // Thu 30 Apr 2026 → Fri 1 May (Fête du travail), Sat, Sun skipped → Mon 4 (1), Tue 5 (2)
    expect(dueBy('2026-04-30T08:00:00Z', 'dunning', paris, levels)).toBe('2026-05-05T16:00:00.000Z');
  });

  it('when the same contact lives where 1 May is a working day, then the task is due a day earlier', () => {
    const noMayDay: ContactCalendar = { ...paris, country: 'US' };
    expect(dueBy('2026-04-30T08:00:00Z', 'dunning', noMayDay, levels)).toBe('2026-05-04T16:00:00.000Z');
  });

  it('when a dispute opens on 6 May 2026, then 8 May and Ascension Thursday are skipped: due Friday 15 May 18:00', () => {
    // Thu 7 (1), Fri 8 holiday, Mon 11 (2), Tue 12 (3), Wed 13 (4), Thu 14 Ascension, Fri 15 (5)
    expect(dueBy('2026-05-06T07:00:00Z', 'dispute', paris, levels)).toBe('2026-05-15T16:00:00.000Z');
    expect(dueBy('2026-05-06T07:00:00Z', 'complaint', paris, levels)).toBe('2026-05-15T16:00:00.000Z');
  });

  it('when a reply arrives on a Saturday, then the count starts on Monday', () => {
    expect(dueBy('2026-05-02T09:00:00Z', 'reply', paris, levels)).toBe('2026-05-05T16:00:00.000Z');
  });

  it('when the instant is already Saturday in Paris but still Friday in New York, then the contact’s own zone decides the day and the hour', () => {
    const instant = '2026-05-01T23:30:00Z'; // Sat 01:30 in Paris, Fri 19:30 in New York
    expect(dueBy(instant, 'dunning', paris, levels)).toBe('2026-05-05T16:00:00.000Z');
    const newYork: ContactCalendar = { timezone: 'America/New_York', country: 'US', holidays };
    // Fri 1 May → Mon 4 (1), Tue 5 (2), 18:00 EDT
    expect(dueBy(instant, 'dunning', newYork, levels)).toBe('2026-05-05T22:00:00.000Z');
  });

  it('when a day ends at 17:30 and the deadline crosses the autumn clock change, then the local time holds', () => {
    const late = { ...levels, endOfBusinessDay: '17:30' };
    // Fri 23 Oct 2026 → Mon 26 (1), Tue 27 (2); Paris is on UTC+1 from 25 Oct
    expect(dueBy('2026-10-23T10:00:00Z', 'reply', paris, late)).toBe('2026-10-27T16:30:00.000Z');
  });

  it('when a service level is 0 business days, then the task is due the same day, or the next business day when it opens on a day off', () => {
    const sameDay = { ...levels, reply: 0 };
    expect(dueBy('2026-05-06T07:00:00Z', 'reply', paris, sameDay)).toBe('2026-05-06T16:00:00.000Z');
    expect(dueBy('2026-05-01T07:00:00Z', 'reply', paris, sameDay)).toBe('2026-05-04T16:00:00.000Z');
  });

  it('when the opening time is not an instant, then dueBy refuses it', () => {
    expect(() => dueBy('yesterday', 'reply', paris, levels)).toThrow(RangeError);
  });
});

describe('overdue tasks', () => {
  const task = { status: 'open' as const, dueBy: '2026-05-05T16:00:00.000Z' };

  it('when the due-by time has not passed, then the task is not overdue, even at that very instant', () => {
    expect(overdue(task, '2026-05-05T15:59:59Z')).toBe(false);
    expect(overdue(task, '2026-05-05T16:00:00Z')).toBe(false);
  });

  it('when it has passed, then an open or claimed task is overdue, a resolved one never', () => {
    expect(overdue(task, '2026-05-05T16:00:00.001Z')).toBe(true);
    expect(overdue({ ...task, status: 'claimed' }, new Date('2026-05-06T00:00:00Z'))).toBe(true);
    expect(overdue({ ...task, status: 'resolved' }, '2026-06-01T00:00:00Z')).toBe(false);
  });
});

describe('service-level configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relance-sla-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when an override changes one reason, then the others keep their defaults', () => {
    const file = join(dir, 'one.yaml');
    writeFileSync(file, 'handoffs:\n  sla:\n    dispute: 10\n');
    expect(loadConfig([file]).handoffs.sla).toEqual({ ...levels, dispute: 10 });
  });

  it('when a service level is negative or an unknown reason is set, then loading fails naming the path', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'handoffs:\n  sla:\n    dispute: -1\n    urgent: 1\n');
    try {
      loadConfig([file]);
      expect.fail('expected the configuration to be rejected');
    } catch (error) {
      expect(error).toBeInstanceOf(RelanceError);
      const paths = (error as RelanceError).issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['handoffs.sla.dispute']));
      expect(paths.some((p) => p.startsWith('handoffs.sla'))).toBe(true);
      expect(paths.length).toBeGreaterThanOrEqual(2);
    }
  });
});
