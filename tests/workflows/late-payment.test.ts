/**
 * What a formal notice claims, read where the customer reads it (the outbox): a French business
 * is told of interest and the recovery indemnity per invoice; a consumer abroad of neither.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { OutboxRecord } from '../../channels/outbox/outbox-store';
import { simulateFixture, type SimulatedRun } from '../helpers/outbox-records';

/** Formal notices the outbox received for one recipient (email subject or SMS text says so). */
const notices = (run: SimulatedRun, to: string): OutboxRecord[] =>
  run.outbox.filter(
    (m) => m.to === to && /mise en demeure|formal notice/i.test(`${m.subject ?? ''} ${m.text}`),
  );

describe('formal notices state only the late-payment terms that apply', () => {
  let run: SimulatedRun;
  beforeAll(async () => {
    run = await simulateFixture('late-payment-terms.yaml');
  }, 120_000);

  it('when a consumer in London is sent a formal notice about a GBP invoice, then it claims no French indemnity or B2B interest', () => {
    const received = [...notices(run, 'james.carter@example.co.uk'), ...notices(run, '+447911123456')];
    expect(received.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
    for (const message of received) {
      const read = `${message.subject ?? ''}\n${message.text}\n${message.html ?? ''}`;
      expect(read).toContain('£480.50');
      expect(read).not.toMatch(/L441|indemnit|Commercial Code|Code de commerce/i);
      expect(read).not.toMatch(/€|40[.,]00|interest|penalt/i);
    }
  });

  it('when a French business gets one notice for two invoices, then it states interest, 40 € per invoice under L441-10, and 80 € in all', () => {
    const [email, ...more] = notices(run, 'compta@atelier-durand.fr');
    expect(more).toEqual([]);
    expect(email?.subject).toBe('Mise en demeure de payer — factures impayées');
    const text = email?.text ?? '';
    expect(text).toContain('FA-2026-0101');
    expect(text).toContain('FA-2026-0102');
    expect(text).toContain("au taux annuel de 12,15\u00a0% à compter de la date d'échéance");
    expect(text).toContain(
      'indemnité forfaitaire pour frais de recouvrement de 40,00\u00a0€ par facture (art. L441-10 du Code de commerce)',
    );
    expect(text).toContain('soit 2 × 40,00\u00a0€ = 80,00\u00a0€ pour ces 2 factures');
    const [sms] = notices(run, '+33612345678');
    expect(sms?.text).toContain('indemnité de 40,00 € par facture');
  });
});
