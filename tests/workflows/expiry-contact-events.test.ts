/**
 * Contact events reach item sequences (found from the items table by contact): a do-not-contact
 * flag suppresses what follows without ending the sequence (a step stops at its first suppressed channel, as for invoices); an erasure ends it `erased` at once.
 */
import { describe, expect, it } from 'vitest';
import { fixturePath, sentSteps, simulateFile } from '../helpers/simulate';

describe('contact events and item sequences', () => {
  it('when a card holder is flagged do-not-contact or erased after the first reminder, then nothing more reaches them', async () => {
    const t = await simulateFile(fixturePath('items-contact-events.yaml'));
    expect(t.outbox.map((r) => `${r.channel} ${r.to}`).sort()).toEqual([
      'email [erased]', // the outbox's copy loses its address with the erasure
      'email lea@example.fr',
    ]);
    expect(t.discrepancies).toEqual([]);
    expect(sentSteps(t, 'CARD-LEA')).toEqual(['expiry-30/email']);
    expect(
      t.messages
        .filter((m) => m.subjectIds.includes('CARD-LEA') && m.status === 'suppressed')
        .map((m) => `${m.step}/${m.channel} ${m.reason}`),
    ).toEqual(['expiry-7/email do_not_contact', 'expiry-1/email do_not_contact']);
    expect(t.messages.filter((m) => m.subjectIds.includes('CARD-HUGO')).map((m) => m.step)).toEqual([
      'expiry-30',
    ]);
    expect(Object.fromEntries(t.sequences.map((s) => [s.subjectId, s.outcome]))).toEqual({
      'CARD-LEA': 'expired',
      'CARD-HUGO': 'erased',
    });
  });
});
