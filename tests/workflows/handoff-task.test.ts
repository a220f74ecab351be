/**
 * Hand-offs as durable tasks (contract section 6), on the real workflows and activities over a
 * time-skipping server: the sequence waits for the person, agents act through the Update (its
 * validator refuses without changing anything), and what the customer receives is read from the
 * outbox.
 */
import { describe, expect, it } from 'vitest';
import {
  delivered,
  find,
  fixturePath,
  minute,
  receivedBy,
  sentSteps,
  simulateExample,
  simulateFile,
} from '../helpers/simulate';

const MARIE = 'marie.durand@example.com';
const MARIE_SMS = '+33612345678';
const NOTICE_AND_BEFORE = [
  `email ${MARIE}`,
  `email ${MARIE}`,
  `email ${MARIE}`,
  `sms ${MARIE_SMS}`,
  `email ${MARIE}`,
  `sms ${MARIE_SMS}`,
];

describe('hand-off tasks', () => {
  it('when an agent claims the task after the formal notice and records a promise that is kept, then nothing more reaches the customer and the task resolves paid', async () => {
    const t = await simulateExample('agent-promise-kept.yaml');
    expect(delivered(t)).toEqual(NOTICE_AND_BEFORE);
    expect(t.outbox.every((r) => Date.parse(r.receivedAt) < Date.parse('2026-04-07T07:30:00Z'))).toBe(true);
    expect(t.discrepancies).toEqual([]);
    expect(t.agentActions?.map((a) => `${a.type}:${a.status}`)).toEqual([
      'claim:applied',
      'call_outcome:applied',
      'promise_to_pay:applied',
    ]);
    expect(t.handoffs).toEqual([
      expect.objectContaining({
        subjectIds: ['INV-1'],
        status: 'resolved',
        owner: 'Claire Martin',
        resolution: 'paid',
        // Opened Tuesday 7 April: two business days, to the end of Thursday in Paris.
        dueBy: '2026-04-09T16:00:00.000Z',
      }),
    ]);
    expect(t.sequences).toEqual([expect.objectContaining({ status: 'completed', outcome: 'paid' })]);
  });

  it("when an agent answers a dispute and resumes automation, then the customer gets the agent's text, and the next reminder follows with the schedule's spacing", async () => {
    const t = await simulateExample('agent-dispute-resumed.yaml');
    expect(t.discrepancies).toEqual([]);
    const emails = receivedBy(t, 'email', MARIE);
    expect(emails.map((r) => r.text.includes('12 cartons le 2 mars'))).toEqual([
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(sentSteps(t)).toEqual([
      'pre-due/email',
      'overdue-1/email',
      expect.stringMatching(/^agent-1-[a-z0-9]+\/email$/),
      'overdue-2/email',
      'overdue-2/sms',
      'formal-notice/email',
      'formal-notice/sms',
    ]);
    // Nothing automatic while the task was open (21 to 24 March).
    expect(
      t.outbox.filter((r) => r.receivedAt > '2026-03-21T09:00:00Z' && r.receivedAt < '2026-03-24T13:00:00Z'),
    ).toEqual([]);
    // Resumed Tuesday 24 March after the agent's email (the daily cap holds automatic ones): the
    // next reminder on Wednesday at the window's opening, the notice the schedule's 7 days later.
    expect(minute(find(t, 'overdue-2', 'email')[0]?.at ?? '')).toBe('2026-03-25T07:00Z');
    expect(find(t, 'formal-notice', 'email')[0]?.at.slice(0, 10)).toBe('2026-03-31');
    expect(t.handoffs[0]).toMatchObject({
      reason: 'disputed: Delivery incomplete: 2 cartons missing',
      status: 'resolved',
      owner: 'Claire Martin',
      resolution: 'automation_resumed',
      dueBy: '2026-03-27T17:00:00.000Z', // five business days for a dispute
    });
  });

  it('when an action is refused (someone else holds the task, a past promise, an SMS over budget), then nothing changes; an email goes out; closing ends the sequence', async () => {
    const t = await simulateFile(fixturePath('handoff-refusals.yaml'));
    const actions = t.agentActions ?? [];
    expect(actions.map((a) => `${a.type}:${a.by}:${a.status}`)).toEqual([
      'claim:Claire Martin:applied',
      'claim:Paul Roux:refused',
      'claim:Paul Roux:refused',
      'promise_to_pay:Claire Martin:refused',
      'send_message:Claire Martin:refused',
      'send_message:Claire Martin:applied',
      'close:Claire Martin:applied',
      'note:Claire Martin:refused',
    ]);
    expect(actions[1]?.reason).toContain('claimed by Claire Martin');
    expect(actions[3]?.reason).toContain('expected a date from 2026-04-07');
    expect(actions[4]?.reason).toMatch(/takes 12 segments; at most 3/);
    expect(actions[7]?.reason).toBe('no open hand-off for INV-1');
    expect(delivered(t)).toEqual([...NOTICE_AND_BEFORE, `email ${MARIE}`]);
    expect(t.outbox[6]?.text).toContain('nous passons la facture en perte');
    expect(t.outbox.filter((r) => r.channel === 'sms')).toHaveLength(2); // the refused SMS never left
    expect(t.handoffs).toEqual([
      expect.objectContaining({ status: 'resolved', owner: 'Claire Martin', resolution: 'written_off' }),
    ]);
    expect(t.sequences[0]).toMatchObject({ status: 'completed', outcome: 'handed_off' });
    expect(t.discrepancies).toEqual([]);
  });

  it("when an agent writes the morning a reminder left, then the daily cap does not hold it back; when the dispute ends in the customer's favour, then the task resolves by itself", async () => {
    const t = await simulateFile(fixturePath('handoff-dispute-agent.yaml'));
    const emails = receivedBy(t, 'email', MARIE);
    expect(emails).toHaveLength(3);
    expect(emails[1]?.receivedAt).toMatch(/^2026-03-19T08:30/); // overdue-1, 09:30 Paris
    expect(emails[2]?.text).toContain('revenons vers vous sous 48 heures');
    expect(emails[2]?.receivedAt).toMatch(/^2026-03-19T10:00/); // 11:00 Paris, the same day
    expect(t.outbox.filter((r) => r.receivedAt > '2026-03-19T10:01:00Z')).toEqual([]);
    expect(t.handoffs).toEqual([
      expect.objectContaining({ status: 'resolved', owner: 'Claire Martin', resolution: 'customer_right' }),
    ]);
    expect(t.sequences[0]).toMatchObject({ status: 'completed', outcome: 'dispute_customer_right' });
  });
});
