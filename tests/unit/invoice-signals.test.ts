/**
 * The dispatcher's invoice signals: built from the stored event's data, validated again by the
 * event's schema, so each signal's data is what its type says; an erasure carries only the id.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, RelanceError } from '../../domain/errors';
import { invoiceSignalOf, isInvoiceSignalType, type EventSignalType } from '../../ingestion/invoice-signals';

const stored = (type: EventSignalType, data: Record<string, unknown>) => ({
  seq: 1,
  id: 'evt-1',
  type,
  at: '2026-03-20T09:00:00.000Z',
  data,
  dispatchAttempts: 0,
});

describe('invoice signals built from stored events', () => {
  it('when a dispute is dispatched, then its signal carries the invoice and the reason, typed', () => {
    const signal = invoiceSignalOf(
      stored('invoice.disputed', { invoiceId: 'INV-1', reason: 'wrong quantity' }),
    );
    expect(signal).toEqual({
      eventId: 'evt-1',
      type: 'invoice.disputed',
      at: '2026-03-20T09:00:00.000Z',
      data: { invoiceId: 'INV-1', reason: 'wrong quantity' },
    });
  });

  it('when a contact is erased, then the signal carries the contact id and nothing else', () => {
    const signal = invoiceSignalOf(stored('contact.erased', { contactId: 'c1', reason: 'DSR-2026-0007' }));
    expect(signal.data).toEqual({ contactId: 'c1' });
  });

  it('when stored data no longer fits its schema, then no signal is built and the error names the field', () => {
    const build = () =>
      invoiceSignalOf(stored('invoice.dispute_resolved', { invoiceId: 'INV-1', outcome: 'maybe' }));
    expect(build).toThrow(RelanceError);
    try {
      build();
    } catch (error) {
      expect(error).toMatchObject({ code: ErrorCode.InvalidInput });
      expect((error as RelanceError).issues.map((i) => i.path)).toEqual(['outcome']);
    }
  });

  it('when an event starts a sequence rather than informs one, then it is not an invoice signal', () => {
    expect(isInvoiceSignalType('invoice.issued')).toBe(false);
    expect(isInvoiceSignalType('campaign.scheduled')).toBe(false);
    expect(isInvoiceSignalType('invoice.promise_to_pay')).toBe(true);
  });
});
