/**
 * The example scenarios of examples/, run on the real workflows and activities over a
 * time-skipping Temporal server: the timelines a finance team would expect, checked against what
 * the provider (the local outbox) received, which must agree with the ledger (no discrepancies).
 */
import { describe, expect, it } from 'vitest';
import { delivered, find, minute, receivedBy, sentSteps, simulateExample } from '../helpers/simulate';

const MARIE = 'marie.durand@example.com';
const MARIE_SMS = '+33612345678';

describe('invoice dunning, as the examples show it', () => {
  it('when the customer pays before the due date, then only the friendly pre-due reminder was ever sent', async () => {
    const t = await simulateExample('paid-before-due.yaml');
    expect(delivered(t)).toEqual([`email ${MARIE}`]);
    expect(t.outbox[0]?.text).toContain('https://pay.example.com/FA-2026-0001');
    expect(t.outbox[0]?.text).toContain('Claire Martin');
    expect(t.discrepancies).toEqual([]);
    expect(sentSteps(t)).toEqual(['pre-due/email']);
    const [preDue] = find(t, 'pre-due', 'email');
    expect(minute(preDue?.at ?? '')).toBe('2026-03-13T08:30Z'); // D-5 at 09:30 Paris (UTC+1)
    expect(preDue?.localTime).toMatch(/^2026-03-13T09:30:\d\d\.\d{3}\+01:00$/);
    expect(preDue?.providerMessageId).toBe(t.outbox[0]?.id);
    expect(t.sequences).toEqual([
      expect.objectContaining({ subjectId: 'INV-1', status: 'completed', outcome: 'paid' }),
    ]);
    expect(t.handoffs).toEqual([]);
  });

  it('when the customer pays the day after the first overdue reminder, then no second reminder goes out', async () => {
    const t = await simulateExample('paid-after-second-reminder.yaml');
    expect(delivered(t)).toEqual([`email ${MARIE}`, `email ${MARIE}`]);
    expect(t.outbox.map((r) => r.text).every((text) => text.includes('FA-2026-0001'))).toBe(true);
    expect(t.discrepancies).toEqual([]);
    expect(sentSteps(t)).toEqual(['pre-due/email', 'overdue-1/email']);
    expect(minute(find(t, 'overdue-1', 'email')[0]?.at ?? '')).toBe('2026-03-19T08:30Z');
    expect(t.sequences[0]).toMatchObject({ status: 'completed', outcome: 'paid' });
  });

  it('when an invoice arrives already ten days overdue, then only the latest due reminder goes out, once, and the schedule continues', async () => {
    const t = await simulateExample('late-entry.yaml');
    const james = ['email james.carter@example.co.uk', 'sms +447911123456'];
    expect(delivered(t)).toEqual([...james, ...james]);
    expect(t.outbox[2]?.subject).toBe('Formal notice to pay — invoice 7001');
    expect(t.outbox[2]?.text).toContain('£480.50');
    expect(t.outbox[3]?.text).toContain('7001');
    expect(t.discrepancies).toEqual([]);
    expect(sentSteps(t)).toEqual([
      'overdue-2/email',
      'overdue-2/sms',
      'formal-notice/email',
      'formal-notice/sms',
    ]);
    expect(minute(find(t, 'overdue-2', 'email')[0]?.at ?? '')).toBe('2026-03-28T10:00Z');
    // Summer time began on 29 March: 09:30 London is 08:30 UTC from then on.
    expect(minute(find(t, 'formal-notice', 'email')[0]?.at ?? '')).toBe('2026-03-30T08:30Z');
    expect(find(t, 'formal-notice', 'email')[0]?.providerMessageId).toBe(t.outbox[2]?.id);
    expect(t.handoffs.map((h) => h.subjectIds)).toEqual([['INV-7']]);
    expect(t.handoffs[0]?.at).toMatch(/^2026-04-07T08:30/);
    // The sequence waits for the person it handed the invoice to (contract section 6).
    expect(t.sequences[0]).toMatchObject({ status: 'paused', outcome: null });
    expect(t.handoffs[0]).toMatchObject({ status: 'open', owner: null, resolution: null });
  });

  it('when a payment plan is kept, then installment reminders replace escalation; when an installment is missed, then escalation resumes', async () => {
    const t = await simulateExample('payment-plan-missed.yaml');
    const email = `email ${MARIE}`;
    const sms = `sms ${MARIE_SMS}`;
    expect(delivered(t)).toEqual([email, email, email, email, email, sms, email, sms]);
    expect(t.outbox[2]?.subject).toBe('Échéancier : échéance 1 sur 3 le 2 avril 2026');
    expect(t.outbox.every((r) => r.text.includes('FA-2026-0001'))).toBe(true);
    expect(t.discrepancies).toEqual([]);
    const beforeMiss = t.messages
      .filter((m) => m.at < '2026-04-19T00:00:00Z' && m.status === 'sent')
      .map((m) => `${m.step}/${m.channel}`);
    expect(beforeMiss).toEqual([
      'pre-due/email',
      'overdue-1/email',
      'installment-1/email',
      'installment-2/email',
    ]);
    const afterMiss = t.messages
      .filter((m) => m.at >= '2026-04-19T00:00:00Z')
      .map((m) => `${m.step}/${m.channel}`);
    expect(afterMiss).toEqual([
      'overdue-2/email',
      'overdue-2/sms',
      'formal-notice/email',
      'formal-notice/sms',
    ]);
    expect(find(t, 'installment-3', 'email')).toEqual([]);
    // Monday 20 April: the resumed reminder waits for the window (email 08:00, SMS 09:00 Paris).
    expect(minute(find(t, 'overdue-2', 'email')[0]?.at ?? '')).toBe('2026-04-20T06:00Z');
    expect(minute(find(t, 'overdue-2', 'sms')[0]?.at ?? '')).toBe('2026-04-20T07:00Z');
    expect(t.sequences[0]).toMatchObject({ status: 'paused', outcome: null });
  });

  it('when customers dispute, then their sequences pause and go to a person; upheld resumes, customer-right ends', async () => {
    const t = await simulateExample('dispute.yaml');
    const paul = 'paul.lefevre@example.fr';
    expect(delivered(t, paul)).toEqual([`email ${paul}`, `email ${paul}`]);
    expect(receivedBy(t, 'email', paul).every((r) => r.text.includes('FA-2026-0002'))).toBe(true);
    expect(delivered(t, MARIE)).toEqual(Array<string>(4).fill(`email ${MARIE}`));
    expect(delivered(t, MARIE_SMS)).toEqual([`sms ${MARIE_SMS}`, `sms ${MARIE_SMS}`]);
    expect(t.outbox.filter((r) => r.to !== paul).every((r) => r.text.includes('FA-2026-0001'))).toBe(true);
    expect(t.outbox).toHaveLength(8);
    expect(t.discrepancies).toEqual([]);
    const duringDispute = t.messages.filter(
      (m) => m.at > '2026-03-21T09:00:00Z' && m.at < '2026-04-10T08:59:00Z',
    );
    expect(duringDispute).toEqual([]);
    expect(t.handoffs.map((h) => `${h.subjectIds.join()}:${h.reason}`)).toEqual([
      'INV-1:disputed: Delivery incomplete: 2 cartons missing',
      'INV-2:disputed: Already paid by cheque',
      'INV-1:schedule step handoff: no payment after the formal notice',
    ]);
    expect(sentSteps(t, 'INV-2')).toEqual(['pre-due/email', 'overdue-1/email']);
    expect(sentSteps(t, 'INV-1')).toEqual([
      'pre-due/email',
      'overdue-1/email',
      'overdue-2/email',
      'overdue-2/sms',
      'formal-notice/email',
      'formal-notice/sms',
    ]);
    expect(minute(find(t, 'overdue-2', 'email', 'INV-1')[0]?.at ?? '')).toBe('2026-04-10T09:00Z');
    expect(t.sequences.find((s) => s.subjectId === 'INV-2')).toMatchObject({
      status: 'completed',
      outcome: 'dispute_customer_right',
    });
  });

  it('when a reminder cannot go by email, then it falls back to SMS, once, and the ledger shows both attempts', async () => {
    const t = await simulateExample('fallback.yaml');
    expect(delivered(t, '+33687654321')).toEqual(['sms +33687654321', 'sms +33687654321']);
    expect(receivedBy(t, 'sms', '+33687654321').every((r) => r.text.includes('FA-2026-0005'))).toBe(true);
    expect(delivered(t, MARIE)).toEqual([`email ${MARIE}`, `email ${MARIE}`]);
    expect(receivedBy(t, 'email', MARIE).every((r) => r.text.includes('FA-2026-0006'))).toBe(true);
    expect(t.outbox).toHaveLength(4);
    expect(t.discrepancies).toEqual([]);
    const lucas = t.messages.filter((m) => m.contactId === 'c7');
    expect(lucas.map((m) => `${m.step}/${m.channel}/${m.status}/${m.reason ?? ''}`)).toEqual([
      'pre-due/email/suppressed/invalid_address',
      'pre-due/sms/sent/',
      'overdue-1/email/suppressed/invalid_address',
      'overdue-1/sms/sent/',
    ]);
    expect(lucas[1]?.fallbackOf).toBe(lucas[0]?.id);
    expect(t.messages.filter((m) => m.contactId === 'c1').map((m) => `${m.step}/${m.channel}`)).toEqual([
      'pre-due/email',
      'overdue-1/email',
    ]);
  });
});
