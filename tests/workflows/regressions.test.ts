/**
 * Sequences of events a review found mishandled once: each now gives the timeline a finance team
 * expects. Scenarios live in tests/fixtures/scenarios.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../cli/simulator/scenario';
import { runSimulation, type SimulationOptions } from '../../cli/simulator/run-simulation';
import { loadConfig } from '../../config/load-config';
import { ingestEvents } from '../../ingestion/ingest-events';
import { getInvoice } from '../../store/invoice-repository';
import { sentSteps } from '../helpers/simulate';

const simulate = (name: string, options?: SimulationOptions) =>
  runSimulation(
    loadScenario(fileURLToPath(new URL(`../fixtures/scenarios/${name}`, import.meta.url))),
    options,
  );

describe('sequences that once went wrong', () => {
  it('when a plan follows a partial payment and nothing more is paid, then escalation resumes and is not silently suppressed', async () => {
    const t = await simulate('plan-after-partial-payment.yaml');
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
  });
});
