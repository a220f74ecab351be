/**
 * The projection written by the calls a dunning run makes anyway (invoiceDunningWorkflowV2):
 * planning records the run's first projection, and a send that leaves records the one the
 * workflow played for it. What the API shows must be what the workflow would have written.
 */
import { describe, expect, it } from 'vitest';
import type { DeliverInput } from '../../activities';
import { getSequence } from '../../store/sequence-repository';
import { startReport } from '../../workflows/dunning-report';
import { engineEachTest, marie } from '../helpers/engine';

const at = '2026-03-23T08:30:00.000Z'; // Monday 09:30 in Paris, five days after the due date
const sequenceId = 'invoice-dunning/INV-1';
const request = { contactId: 'c1', sequenceId, startedAt: at, at };

describe('the projection recorded by planning and sending', () => {
  const fixture = engineEachTest(
    [
      { type: 'contact.upserted', data: marie },
      {
        type: 'invoice.issued',
        data: { id: 'INV-1', contactId: 'c1', amount: '1250.00', currency: 'EUR', dueDate: '2026-03-18' },
      },
    ],
    '2026-03-02T08:00:00.000Z',
  );
  const engine = () => fixture.engine;
  const stored = () => getSequence(fixture.db, sequenceId);

  const plan = (report?: typeof request) =>
    engine().runAt(at, () =>
      engine().activities.planDunning({ invoiceId: 'INV-1', ...(report ? { report } : {}) }),
    );

  it('when planning is asked for the first projection, then the API shows the run escalating at its latest due step, the rest pending', async () => {
    const planned = await plan(request);
    const shown = await stored();
    expect(shown).toMatchObject({ status: 'running', stage: 'escalating', contactId: 'c1', updatedAt: at });
    // Due on the 18th, entering on the 23rd: the latest step already due goes at once.
    const due = planned.steps.filter((s) => Date.parse(s.at) <= Date.parse(at));
    const first = due[due.length - 1];
    expect(shown?.nextStep).toBe(first?.id);
    expect(shown?.steps.filter((s) => s.status === 'skipped').map((s) => s.id)).toEqual(
      due.slice(0, -1).map((s) => s.id),
    );
    expect(planned.reported).toEqual({ ...shown, updatedAt: undefined, completedAt: undefined });
  });

  it('when a later projection of the same id is already stored (a reset run), then planning does not claim to have written its own', async () => {
    await plan({ ...request, at: '2026-03-23T09:00:00.000Z' });
    const planned = await plan(request);
    expect(planned.reported).toBeUndefined();
    expect((await stored())?.updatedAt).toBe('2026-03-23T09:00:00.000Z');
  });

  it('when planning is not asked (the first type), then it records nothing', async () => {
    const planned = await plan();
    expect(planned.reported).toBeUndefined();
    expect(await stored()).toBeUndefined();
  });

  it('when the invoice is already paid, then planning records no running projection (the run ends and says so)', async () => {
    await engine().ingest(
      { type: 'invoice.payment', data: { invoiceId: 'INV-1', amount: '1250.00' } },
      '2026-03-20T08:00:00.000Z',
    );
    const planned = await plan(request);
    expect(planned.condition).toBe('settled');
    expect(planned.reported).toBeUndefined();
    expect(await stored()).toBeUndefined();
  });

  describe('a send given the projection to record when it leaves', () => {
    const later = '2026-03-23T08:31:00.000Z';
    const input = async (): Promise<DeliverInput> => {
      const planned = await plan(request);
      const next = startReport({
        input: { invoiceId: 'INV-1', contactId: 'c1' },
        sequenceId,
        startedAt: at,
        steps: planned.steps,
        nowMs: Date.parse(at),
      });
      const step = planned.steps.find((s) => s.id === next.nextStep);
      return {
        sequenceId,
        sequenceType: 'invoice-dunning',
        step: step?.id ?? '',
        round: 0,
        channel: 'email',
        template: step?.template ?? '',
        purpose: 'transactional',
        kind: 'escalation',
        contactId: 'c1',
        plannedAt: step?.at ?? at,
        content: { kind: 'invoice', subjectIds: ['INV-1'], mergeSameDay: true },
        reportIfSent: { ...next, nextStep: 'played-next-step', updatedAt: later },
      };
    };
    const deliver = (given: DeliverInput) =>
      engine().runAt(at, () => engine().activities.deliverMessage(given));

    it('when the message leaves, then that projection is recorded and the outcome says so', async () => {
      const outcome = await deliver(await input());
      expect(outcome).toMatchObject({ kind: 'sent', reported: true });
      expect(await stored()).toMatchObject({
        nextStep: 'played-next-step',
        updatedAt: later,
      });
    });

    it('when the message does not leave (paid meanwhile), then the projection is left to the workflow', async () => {
      const given = await input();
      await engine().ingest(
        { type: 'invoice.payment', data: { invoiceId: 'INV-1', amount: '1250.00' } },
        '2026-03-23T08:00:00.000Z',
      );
      const outcome = await deliver(given);
      expect(outcome).toMatchObject({ kind: 'suppressed', reason: 'settled' });
      expect(outcome).not.toHaveProperty('reported');
      expect((await stored())?.nextStep).not.toBe('played-next-step');
    });

    it('when a later projection is already recorded, then the older one is not, and the outcome does not claim it', async () => {
      const given = await input();
      const stale = {
        ...given,
        reportIfSent: { ...given.reportIfSent!, updatedAt: '2026-03-23T08:00:00.000Z' },
      };
      const outcome = await deliver(stale);
      expect(outcome).toMatchObject({ kind: 'sent' });
      expect(outcome).not.toHaveProperty('reported');
      expect((await stored())?.updatedAt).toBe(at);
    });
  });
});
