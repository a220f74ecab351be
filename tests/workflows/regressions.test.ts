/**
 * Sequences of events a review found mishandled once: each now gives the timeline a finance team
 * expects. Scenarios live in tests/fixtures/scenarios.
 */
import { describe, expect, it } from 'vitest';
import type { SimulationOptions } from '../../cli/simulator/run-simulation';
import { loadConfig } from '../../config/load-config';
import { ingestEvents } from '../../ingestion/ingest-events';
import { getInvoice } from '../../store/invoice-repository';
import { delivered, fixturePath, receivedBy, sentSteps, simulateFile } from '../helpers/simulate';

const simulate = (name: string, options?: SimulationOptions) => simulateFile(fixturePath(name), options);
const MARIE = 'marie@example.com';
const MARIE_SMS = '+33612345678';

describe('sequences that once went wrong', () => {
  it('when an invoice enters the day after its due date, before 09:30, then the pre-due reminder says it was due on that date', async () => {
    const t = await simulate('pre-due-after-due-date.yaml');
    expect(delivered(t)).toEqual(['email marie@example.com', 'email james@example.co.uk']);
    expect(t.discrepancies).toEqual([]);
    expect(sentSteps(t)).toEqual(['pre-due/email', 'pre-due/email']);
    const [fr, en] = t.outbox;
    expect(fr?.subject).toBe('Votre facture FA-1 est arrivée à échéance le 22 novembre 2026');
    expect(fr?.text).toContain(
      "votre facture n° FA-1, d'un montant de 100,00\u00a0€, est arrivée à échéance le 22 novembre 2026.",
    );
    expect(en?.subject).toBe('Your invoice FA-2 was due on 22 November 2026');
    expect(en?.text).toContain('your invoice FA-2 for £80.00 was due on 22 November 2026.');
    for (const r of t.outbox) {
      expect(r.receivedAt).toMatch(/^2026-11-23/);
      expect(`${r.subject ?? ''} ${r.text}`).not.toMatch(/arrive à échéance|is due on/);
    }
  });

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

  it('when a promise to pay and the promised payment arrive in one batch, then the promise is kept and no reminder goes out before the grace ends', async () => {
    let promiseStatus: string | null | undefined;
    const t = await simulate('promise-and-payment-in-one-batch.yaml', {
      onEvent: async (db, index) => {
        if (index !== 1) return; // between the two 11:00 events: the next one's dispatch signals both
        await ingestEvents(
          { db, config: loadConfig() },
          [
            {
              type: 'invoice.promise_to_pay',
              data: { invoiceId: 'INV-1', promisedDate: '2026-03-27', amount: '500.00' },
            },
            { type: 'invoice.payment', data: { invoiceId: 'INV-1', amount: '500.00' } },
          ],
          '2026-03-20T10:00:00.000Z',
        );
      },
      beforeTeardown: async (_env, db) => {
        promiseStatus = (await getInvoice(db, 'INV-1'))?.promiseStatus;
      },
    });
    expect(promiseStatus).toBe('kept');
    // What the customer received: the reminders before the promise, then nothing until the
    // promised date plus two days of grace (30 March, Paris) has passed with a balance left.
    const sent = t.messages.filter((m) => m.status === 'sent');
    expect(sent.filter((m) => m.at < '2026-03-20T10:00:00.000Z').map((m) => m.step)).toEqual([
      'pre-due',
      'overdue-1',
    ]);
    expect(
      sent.filter((m) => m.at >= '2026-03-20T10:00:00.000Z' && m.at < '2026-03-29T22:00:00.000Z'),
    ).toEqual([]);
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
