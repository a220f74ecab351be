/** Which roles may post which events: by family, with erasure and unknown families admin-only. */
import { describe, expect, it } from 'vitest';
import { rolesForEventType, withAdmin } from '../../domain/roles';

describe('roles for event types', () => {
  it('when an event is about invoices, then finance may post it; marketing may not', () => {
    expect(rolesForEventType('invoice.issued')).toEqual(['admin', 'finance']);
    expect(rolesForEventType('invoice.promise_to_pay')).toEqual(['admin', 'finance']);
  });

  it('when an event is about contacts or cards, then finance and marketing may post it, but an erasure is admin-only', () => {
    expect(rolesForEventType('contact.consent')).toEqual(['admin', 'finance', 'marketing']);
    expect(rolesForEventType('card.registered')).toEqual(['admin', 'finance', 'marketing']);
    expect(rolesForEventType('contact.erased')).toEqual(['admin']);
  });

  it('when an event is about campaigns, vouchers or points, then marketing may post it; an unknown family is admin-only', () => {
    for (const type of ['campaign.scheduled', 'voucher.issued', 'points.credited'])
      expect(rolesForEventType(type)).toEqual(['admin', 'marketing']);
    expect(rolesForEventType('payroll.run')).toEqual(['admin']);
  });

  it('when a route declares roles, then admin is always among them, once', () => {
    expect(withAdmin(['agent'])).toEqual(['admin', 'agent']);
    expect(withAdmin(['admin', 'agent'])).toEqual(['admin', 'agent']);
  });
});
