/**
 * Sequences of events a review found mishandled once: each now gives the timeline a finance team
 * expects. Scenarios live in tests/fixtures/scenarios.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../cli/simulator/scenario';
import { runSimulation } from '../../cli/simulator/run-simulation';
import { sentSteps } from '../helpers/simulate';

const simulate = (name: string) =>
  runSimulation(loadScenario(fileURLToPath(new URL(`../fixtures/scenarios/${name}`, import.meta.url))));

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

  it('when an invoice is paid before its sequence starts, then the sequence is still recorded, as paid', async () => {
    const t = await simulate('paid-before-start.yaml');
    expect(t.sequences).toEqual([
      expect.objectContaining({ subjectId: 'INV-1', status: 'completed', outcome: 'paid' }),
    ]);
    expect(t.messages).toEqual([]);
  });
});
