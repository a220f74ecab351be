/**
 * The simulator's join of what the provider received to the ledger: a customer who got a message
 * twice, a message the ledger never wrote, or a "sent" row the provider never saw must show up.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxRecord } from '../../channels/outbox/outbox-store';
import { joinProviderToLedger } from '../../cli/simulator/provider-join';
import type { LedgerEntry } from '../../store/ledger-repository';

function row(id: string, overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    id,
    idempotencyKey: `invoice-dunning/INV-1|${id}|email|r0`,
    dedupKey: `invoice-dunning/INV-1|${id}|email|marie@example.com`,
    sequenceId: 'invoice-dunning/INV-1',
    sequenceType: 'invoice-dunning',
    step: id,
    channel: 'email',
    purpose: 'transactional',
    contactId: 'c1',
    recipient: 'marie@example.com',
    subjectIds: ['INV-1'],
    template: 'invoice-reminder',
    locale: 'fr-FR',
    status: 'sent',
    reason: null,
    decision: null,
    plannedAt: '2026-03-13T08:30:00.000Z',
    decidedAt: '2026-03-13T08:30:00.100Z',
    deferredUntil: null,
    sentAt: '2026-03-13T08:30:00.200Z',
    provider: 'sendgrid',
    providerId: 'x-message-id',
    subject: 'Votre facture',
    text: 'Bonjour Marie',
    html: null,
    attempts: 1,
    error: null,
    deliveryStatus: null,
    deliveryAt: null,
    fallbackOf: null,
    createdAt: '2026-03-13T08:30:00.000Z',
    ...overrides,
  };
}

function received(id: string, ledger: LedgerEntry, overrides: Partial<OutboxRecord> = {}): OutboxRecord {
  return {
    id,
    channel: ledger.channel,
    to: ledger.recipient ?? '',
    from: 'factures@example.com',
    subject: ledger.subject,
    text: ledger.text ?? '',
    html: null,
    headers: {},
    payload: {},
    idempotencyKey: ledger.idempotencyKey,
    receivedAt: '2026-03-02T08:00:00.000Z',
    ...overrides,
  };
}

describe('joining what the provider received to the ledger', () => {
  it('when every sent row reached the provider once, then each is delivered with its record and nothing is reported', () => {
    const preDue = row('pre-due');
    const sms = row('overdue-2', { channel: 'sms', recipient: '+33612345678', idempotencyKey: 'k-sms' });
    const suppressed = row('overdue-1', { status: 'suppressed', reason: 'duplicate', sentAt: null });
    const records = [received('m1.0', preDue, { to: ' Marie@Example.com' }), received('SM1', sms)];
    const join = joinProviderToLedger([preDue, suppressed, sms], records);
    expect(join.discrepancies).toEqual([]);
    expect(join.delivered.map((d) => [d.row.id, d.records.map((r) => r.id)])).toEqual([
      ['pre-due', ['m1.0']],
      ['overdue-2', ['SM1']],
    ]);
  });

  it('when the provider received one message twice, then both copies are delivered and a duplicate is reported', () => {
    const preDue = row('pre-due');
    const join = joinProviderToLedger([preDue], [received('m1.0', preDue), received('m2.0', preDue)]);
    expect(join.delivered[0]?.records.map((r) => r.id)).toEqual(['m1.0', 'm2.0']);
    expect(join.discrepancies).toEqual([
      {
        kind: 'provider_duplicate',
        ledgerId: 'pre-due',
        idempotencyKey: preDue.idempotencyKey,
        channel: 'email',
        to: 'marie@example.com',
        sequenceId: 'invoice-dunning/INV-1',
        step: 'pre-due',
        providerMessageIds: ['m1.0', 'm2.0'],
      },
    ]);
  });

  it('when the ledger says sent but the provider has nothing, then the row is not delivered and is reported', () => {
    const preDue = row('pre-due');
    const join = joinProviderToLedger([preDue], []);
    expect(join.delivered).toEqual([]);
    expect(join.discrepancies).toEqual([
      expect.objectContaining({ kind: 'ledger_sent_without_provider', ledgerId: 'pre-due', step: 'pre-due' }),
    ]);
  });

  it('when the provider received a message with no key, an unknown key, a failed row or another recipient, then each is reported', () => {
    const sent = row('pre-due');
    const failed = row('overdue-1', { status: 'failed', reason: 'provider_rejected', sentAt: null });
    const records = [
      received('m1.0', sent),
      received('m2.0', sent, { idempotencyKey: null }),
      received('m3.0', sent, { idempotencyKey: 'nobody-wrote-this' }),
      received('m4.0', failed),
      received('m5.0', sent, { to: 'someone.else@example.com' }),
    ];
    const join = joinProviderToLedger([sent, failed], records);
    expect(join.delivered.map((d) => d.records.map((r) => r.id))).toEqual([['m1.0']]);
    expect(
      join.discrepancies.map(
        (d) => d.kind === 'provider_without_ledger' && [d.providerMessageId, d.ledgerStatus],
      ),
    ).toEqual([
      ['m2.0', null],
      ['m3.0', null],
      ['m4.0', 'failed'],
      ['m5.0', 'sent'],
    ]);
  });

  it('when the contact was erased after a message left, then the row still joins its record by key alone', () => {
    const preDue = row('pre-due', { recipient: null, subject: null, text: null });
    const other = row('overdue-1');
    const records = [received('m1.0', preDue, { to: '[erased]', text: '[erased]' }), received('m2.0', other)];
    const join = joinProviderToLedger([preDue, other], records);
    expect(join.discrepancies).toEqual([]);
    expect(join.delivered.map((d) => [d.row.id, d.records.map((r) => r.id)])).toEqual([
      ['pre-due', ['m1.0']],
      ['overdue-1', ['m2.0']],
    ]);
  });
});
