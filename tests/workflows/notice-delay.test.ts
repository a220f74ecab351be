/**
 * The formal notice gives the customer a delay to pay; the hand-off to a person comes no earlier
 * than that delay, counted from when the notice actually left (outbox and simulated clock).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config';
import { simulateFixture, type SimulatedRun } from '../helpers/outbox-records';

const DAY_MS = 24 * 3600 * 1000;
const paymentDays = loadConfig().company.latePayment.paymentDays;

describe('the hand-off waits for the delay the formal notice gives', () => {
  let run: SimulatedRun;
  beforeAll(async () => {
    run = await simulateFixture('notice-delay.yaml');
  }, 120_000);

  /** When the last channel of the invoice's formal notice left, checked against the outbox. */
  function noticeLeft(invoiceId: string): number {
    const sent = run.timeline.messages.filter(
      (m) => m.step === 'formal-notice' && m.status === 'sent' && m.subjectIds.includes(invoiceId),
    );
    expect(sent.length).toBeGreaterThan(0);
    for (const message of sent) {
      const received = run.outbox.filter((r) => r.to === message.to && r.text === message.text);
      expect(received).toHaveLength(1);
      expect(received[0]?.text).toMatch(new RegExp(`(délai de|sous) ${paymentDays} jours`));
    }
    return Math.max(...sent.map((m) => Date.parse(m.at)));
  }
  const handoffAt = (invoiceId: string) => {
    const handoffs = run.timeline.handoffs.filter((h) => h.subjectIds.includes(invoiceId));
    expect(handoffs).toHaveLength(1);
    return Date.parse(handoffs[0]?.at ?? '');
  };

  it('when the notice falls on a Sunday and leaves on Monday, then the hand-off comes its full delay after Monday', () => {
    const left = noticeLeft('INV-S');
    expect(new Date(left).toISOString()).toMatch(/^2026-04-20T0[67]:/); // Monday, window opening
    const handoff = handoffAt('INV-S');
    expect(handoff).toBeGreaterThanOrEqual(left + paymentDays * DAY_MS);
    expect(handoff - (left + paymentDays * DAY_MS)).toBeLessThan(60_000);
  });

  it('when an invoice enters at D+19, then only the notice goes and the hand-off waits its full delay', () => {
    const left = noticeLeft('INV-L');
    expect(
      run.timeline.messages
        .filter((m) => m.status === 'sent' && m.subjectIds.includes('INV-L'))
        .map((m) => m.step),
    ).toEqual(['formal-notice']);
    const handoff = handoffAt('INV-L');
    expect(handoff).toBeGreaterThanOrEqual(left + paymentDays * DAY_MS);
    expect(handoff - (left + paymentDays * DAY_MS)).toBeLessThan(60_000);
  });

  it('when no notice could leave, then the hand-off keeps the schedule time (D+20 at 09:30)', () => {
    expect(
      run.timeline.messages.filter((m) => m.subjectIds.includes('INV-N') && m.status === 'sent'),
    ).toEqual([]);
    expect(new Date(handoffAt('INV-N')).toISOString()).toMatch(/^2026-04-21T07:30/);
  });
});
