/**
 * Sequences of events a review found mishandled once: each now gives the timeline a finance team
 * expects. Scenarios live in tests/fixtures/scenarios.
 */
import { describe, expect, it } from 'vitest';
import { delivered, fixturePath, receivedBy, sentSteps, simulateFile } from '../helpers/simulate';

const simulate = (name: string) => simulateFile(fixturePath(name));
const MARIE = 'marie@example.com';
const MARIE_SMS = '+33612345678';

describe('sequences that once went wrong', () => {
  it('when a plan follows a partial payment and nothing more is paid, then escalation resumes and is not silently suppressed', async () => {
    const t = await simulate('plan-after-partial-payment.yaml');
    const [email, sms] = [`email ${MARIE}`, `sms ${MARIE_SMS}`];
    expect(delivered(t)).toEqual([email, email, email, email, sms, email, sms]);
    expect(t.discrepancies).toEqual([]);
    expect(t.messages.filter((m) => m.reason === 'paused')).toEqual([]);
    expect(sentSteps(t)).toEqual([
      'pre-due/email',
      'overdue-1/email',
      'installment-1/email',
      'overdue-2/email',
      'overdue-2/sms',
      'formal-notice/email',
      'formal-notice/sms',
    ]);
  });

  it('when a pause comes while the SMS half of a step waits for its window, then the email is not sent again on resume', async () => {
    const t = await simulate('pause-while-sms-waits.yaml');
    expect(t.discrepancies).toEqual([]);
    const overdue2 = t.messages.filter((m) => m.step === 'overdue-2' && m.status === 'sent');
    expect(overdue2.map((m) => `${m.channel} ${m.to}`)).toEqual([`email ${MARIE}`, `sms ${MARIE_SMS}`]);
    // Each of them is one record of the outbox, with the text the customer read.
    for (const m of overdue2) {
      const records = t.outbox.filter((r) => r.id === m.providerMessageId);
      expect(records.map((r) => [r.to, r.text])).toEqual([[m.to, m.text]]);
    }
    expect(t.outbox).toHaveLength(t.messages.filter((m) => m.status === 'sent').length);
    expect(
      t.messages.filter((m) => m.step === 'overdue-2' && m.channel === 'email' && m.status === 'sent'),
    ).toHaveLength(1);
    expect(
      t.messages.filter((m) => m.step === 'overdue-2' && m.channel === 'sms' && m.status === 'sent'),
    ).toHaveLength(1);
    expect(t.pending).toEqual([]);
  });

  it('when a payment plan is replaced, then the new plan gets its own reminders', async () => {
    const t = await simulate('replacement-plan.yaml');
    expect(t.discrepancies).toEqual([]);
    const paulInstallments = receivedBy(t, 'email', 'paul@example.com').filter((r) =>
      t.messages.some((m) => m.providerMessageId === r.id && m.step?.includes('installment')),
    );
    expect(paulInstallments).toHaveLength(2);
    expect(sentSteps(t, 'INV-2').filter((s) => s.includes('installment'))).toEqual([
      'installment-1/email',
      'plan2-installment-1/email',
    ]);
  });

  it('when an invoice is paid before its sequence starts, then the sequence is still recorded, as paid', async () => {
    const t = await simulate('paid-before-start.yaml');
    expect(t.sequences).toEqual([
      expect.objectContaining({ subjectId: 'INV-1', status: 'completed', outcome: 'paid' }),
    ]);
    expect(t.messages).toEqual([]);
    expect(t.outbox).toEqual([]);
    expect(t.discrepancies).toEqual([]);
  });
});
