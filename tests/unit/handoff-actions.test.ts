/** When a hand-off task refuses an action, and when it is due: the pure rules the workflow's validator and the API share. */
import { describe, expect, it } from 'vitest';
import { createHolidayCalendar } from '../../domain/calendar';
import { refuseHandoffAction, type HandoffTaskState } from '../../domain/handoff-actions';
import { SLA_DEFAULTS } from '../../config/handoff-schema';
import { handoffDueBy, isOverdue } from '../../domain/handoff-due';
import { countSegments } from '../../domain/sms-segments';

const task: HandoffTaskState = {
  id: 1,
  status: 'claimed',
  owner: 'Claire Martin',
  reasonCode: 'dunning',
  reason: 'schedule step handoff',
  dueBy: '2026-04-09T16:00:00.000Z',
  resolution: null,
  timezone: 'Europe/Paris',
  smsMaxSegments: 3,
};
// 23:30 UTC on 7 April is already 8 April in Paris.
const NOW = Date.parse('2026-04-07T23:30:00Z');
const refuse = (action: object, t: HandoffTaskState | null = task) =>
  refuseHandoffAction(t, action, NOW, (text) => countSegments(text).segments);

describe('hand-off actions', () => {
  it('when someone else claims a claimed task, then 409 naming the owner; an admin with force may', () => {
    expect(refuse({ type: 'claim', by: 'Paul' })).toMatchObject({ code: 'CONFLICT' });
    expect(refuse({ type: 'claim', by: 'Paul', force: true, role: 'agent' })).toMatchObject({
      code: 'CONFLICT',
    });
    expect(refuse({ type: 'claim', by: 'Lead', force: true, role: 'admin' })).toBeUndefined();
    expect(refuse({ type: 'claim', by: 'Claire Martin' })).toBeUndefined();
  });

  it('when the task is resolved, then every action is a 409', () => {
    const resolved = { ...task, status: 'resolved' as const, resolution: 'paid' as const };
    expect(refuse({ type: 'note', by: 'Claire Martin', text: 'x' }, resolved)?.message).toContain(
      'resolved (paid)',
    );
  });

  it("when a promise is dated before the contact's today, then 400 on promisedDate (today in Paris is accepted)", () => {
    expect(refuse({ type: 'promise_to_pay', by: 'C', promisedDate: '2026-04-07' })).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'promisedDate' }],
    });
    expect(refuse({ type: 'promise_to_pay', by: 'C', promisedDate: '2026-04-08' })).toBeUndefined();
  });

  it('when an SMS takes more segments than the budget, then 400 on text; email has no segment budget', () => {
    const text = 'a'.repeat(460); // 4 segments of GSM-7
    expect(refuse({ type: 'send_message', by: 'C', channel: 'sms', text })?.issues).toEqual([
      { path: 'text', message: 'the SMS takes 4 segments; at most 3 may be sent' },
    ]);
    expect(refuse({ type: 'send_message', by: 'C', channel: 'email', text })).toBeUndefined();
  });

  it('when the resolution, the type or the author is unknown, then 400 naming each field', () => {
    expect(refuse({ type: 'close', by: 'C', resolution: 'forgiven' })?.issues?.map((i) => i.path)).toEqual([
      'resolution',
    ]);
    expect(refuse({ type: 'wave', by: '' })?.issues?.map((i) => i.path)).toEqual(['type', 'by']);
  });
});

describe('due-by time of a task', () => {
  const calendar = createHolidayCalendar();
  const paris = { timezone: 'Europe/Paris', country: 'FR' };

  it('when a dunning task opens on Thursday 30 April, then it is due two business days later, past 1 May and the weekend: Tuesday 5 May, 18:00 Paris', () => {
    expect(handoffDueBy('dunning', '2026-04-30T07:30:00Z', paris, calendar, SLA_DEFAULTS)).toBe(
      '2026-05-05T16:00:00.000Z',
    );
  });

  it('when a dispute opens on Saturday, then it is due five business days later', () => {
    expect(handoffDueBy('dispute', '2026-03-21T09:00:00Z', paris, calendar, SLA_DEFAULTS)).toBe(
      '2026-03-27T17:00:00.000Z',
    );
  });

  it('when the team sets its own service level, then a do-not-contact hand-off follows the dunning one', () => {
    const levels = { ...SLA_DEFAULTS, dunning: 1, endOfBusinessDay: '17:00' };
    expect(handoffDueBy('do_not_contact', '2026-04-30T07:30:00Z', paris, calendar, levels)).toBe(
      '2026-05-04T15:00:00.000Z',
    );
  });

  it('when the due-by time has passed on an unresolved task, then it is overdue; a resolved one never is', () => {
    expect(isOverdue(task, '2026-04-09T16:00:01Z')).toBe(true);
    expect(isOverdue(task, '2026-04-09T15:59:59Z')).toBe(false);
    expect(isOverdue({ ...task, status: 'resolved' }, '2026-05-01T00:00:00Z')).toBe(false);
  });
});

describe('dates in hand-off actions', () => {
  it('when a promise or an installment names a day that does not exist, then 400 on that field', () => {
    expect(refuse({ type: 'promise_to_pay', by: 'C', promisedDate: '2026-02-30' })?.issues).toEqual([
      { path: 'promisedDate', message: 'expected a date YYYY-MM-DD that exists' },
    ]);
    const plan = {
      type: 'payment_plan',
      by: 'C',
      installments: [
        { dueDate: '2026-05-31', amount: '50.00' },
        { dueDate: '2026-06-31', amount: '50.00' },
        { dueDate: '2027-02-29', amount: '50.00' },
      ],
    };
    expect(refuse(plan)?.issues?.map((i) => i.path)).toEqual([
      'installments[1].dueDate',
      'installments[2].dueDate',
    ]);
  });

  it('when a date exists (29 February of a leap year, 31 December), then it is accepted', () => {
    expect(refuse({ type: 'promise_to_pay', by: 'C', promisedDate: '2028-02-29' })).toBeUndefined();
    expect(refuse({ type: 'promise_to_pay', by: 'C', promisedDate: '2026-12-31' })).toBeUndefined();
  });
});
