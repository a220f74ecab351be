import { describe, expect, it } from 'vitest';
import type { FieldIssue } from '../../domain/errors';
import { parseEvents } from '../../domain/events';

const contact = {
  id: 'c1',
  firstName: 'Marie',
  email: 'marie@example.com',
  phone: '+33612345678',
  locale: 'fr-FR',
  timezone: 'Europe/Paris',
  country: 'FR',
};
const invoice = {
  id: 'INV-1',
  contactId: 'c1',
  amount: '1250.00',
  currency: 'EUR',
  dueDate: '2026-03-15',
};

/** The issues of a body that must be rejected, as { path: message } for readable assertions. */
function issuesOf(body: unknown): Record<string, string> {
  const result = parseEvents(body);
  if (result.ok) return expect.fail('expected the body to be rejected');
  return Object.fromEntries(result.issues.map((i: FieldIssue) => [i.path, i.message]));
}

describe('event validation', () => {
  it('when every field is valid, then the events come back typed, one or a batch', () => {
    const single = parseEvents({ id: 'evt-1', type: 'contact.upserted', data: contact });
    expect(single).toEqual({
      ok: true,
      events: [{ id: 'evt-1', type: 'contact.upserted', data: contact }],
    });
    const batch = parseEvents([
      { type: 'contact.upserted', at: '2026-03-02T09:00:00+01:00', data: contact },
      { type: 'invoice.issued', data: invoice },
    ]);
    expect(batch.ok && batch.events.map((e) => e.type)).toEqual(['contact.upserted', 'invoice.issued']);
  });

  it('when a contact says whether it is a business or a consumer, then that is kept; anything else is refused by path', () => {
    const business = parseEvents({
      type: 'contact.upserted',
      data: { ...contact, customerType: 'business' },
    });
    expect(business.ok && business.events[0]?.data).toMatchObject({ customerType: 'business' });
    const older = parseEvents({ type: 'contact.upserted', data: contact }); // events from before the field
    expect(older.ok && older.events[0]?.data).not.toHaveProperty('customerType');
    expect(issuesOf([{ type: 'contact.upserted', data: { ...contact, customerType: 'company' } }])).toEqual({
      '[0].data.customerType': 'expected a customer type: "business" or "consumer"',
    });
  });

  it('when the country is a code ISO 3166 assigns to no country (ZZ, EU, QO, XA), then it is refused by path; XK is kept', () => {
    for (const country of ['ZZ', 'EU', 'QO', 'XA', 'AA'])
      expect(issuesOf([{ type: 'contact.upserted', data: { ...contact, country } }])).toHaveProperty([
        '[0].data.country',
      ]);
    expect(parseEvents({ type: 'contact.upserted', data: { ...contact, country: 'XK' } }).ok).toBe(true);
  });

  it('when the type is unknown, then the issue names the type and lists the known ones', () => {
    const issues = issuesOf({ type: 'invoice.refunded', data: {} });
    expect(Object.keys(issues)).toEqual(['type']);
    expect(issues.type).toMatch(/^unknown event type "invoice\.refunded"; expected one of /);
    expect(issues.type).toContain('invoice.issued');
  });

  it('when several fields are wrong, then every offending path is named with what was expected', () => {
    const issues = issuesOf({
      type: 'contact.upserted',
      data: { ...contact, phone: '0612345678', timezone: 'Europe/Pariss', locale: 'french', email: 'x' },
    });
    expect(issues).toEqual({
      'data.phone': 'expected a valid phone number in E.164 form, such as "+33612345678"',
      'data.timezone': 'expected an IANA time zone such as "Europe/Paris"',
      'data.locale': 'expected a BCP 47 locale such as "fr-FR" or "en-GB"',
      'data.email': 'expected an email address',
    });
  });

  it.each([
    ['a national number', '0612345678'],
    ['no plus sign', '33612345678'],
    ['a number too short to exist', '+3361234'],
    ['spaces', '+33 6 12 34 56 78'],
  ])('when the phone has %s, then it is not E.164', (_label, phone) => {
    expect(issuesOf({ type: 'contact.upserted', data: { ...contact, phone } })).toEqual({
      'data.phone': 'expected a valid phone number in E.164 form, such as "+33612345678"',
    });
  });

  it.each(['Mars/Olympus', 'CET+1', 'paris'])(
    'when the time zone is "%s", then it is rejected',
    (timezone) => {
      expect(issuesOf({ type: 'contact.upserted', data: { ...contact, timezone } })).toHaveProperty(
        'data.timezone',
      );
    },
  );

  it.each(['fr_FR', 'french', 'FR-fr-x-y', ''])('when the locale is "%s", then it is rejected', (locale) => {
    expect(issuesOf({ type: 'contact.upserted', data: { ...contact, locale } })).toHaveProperty(
      'data.locale',
    );
  });

  it.each(['EURO', 'eur', 'ABC', '€'])('when the currency is "%s", then it is not ISO 4217', (currency) => {
    expect(issuesOf({ type: 'invoice.issued', data: { ...invoice, currency } })).toEqual({
      'data.currency': 'expected an ISO 4217 currency code such as "EUR"',
    });
  });

  it.each(['12,50', '1e3', '-5', '+5', '.5', '5.', '01.00', ' 5', ''])(
    'when the amount is "%s", then it is not a decimal string',
    (amount) => {
      expect(issuesOf({ type: 'invoice.payment', data: { invoiceId: 'INV-1', amount } })).toEqual({
        'data.amount': 'expected a positive decimal string such as "1250.00"',
      });
    },
  );

  it('when the amount is a JSON number, then it is asked for as a decimal string, not as missing', () => {
    expect(issuesOf({ type: 'invoice.payment', data: { invoiceId: 'INV-1', amount: 12.5 } })).toEqual({
      'data.amount': 'expected a decimal string such as "1250.00"',
    });
  });

  it('when a required field is missing, then it is named as required', () => {
    const { amount: _omitted, ...withoutAmount } = invoice;
    expect(issuesOf({ type: 'invoice.issued', data: withoutAmount })).toEqual({
      'data.amount': 'required: expected string',
    });
  });

  it('when the data or the envelope carries an unknown field, then the strict object names it', () => {
    expect(issuesOf({ type: 'invoice.issued', data: { ...invoice, discount: '5' } })).toEqual({
      data: 'unknown field(s): discount',
    });
    expect(issuesOf({ type: 'invoice.issued', data: invoice, source: 'crm' })).toEqual({
      '(root)': 'unknown field(s): source',
    });
  });

  it('when data is missing or not an object, then the issue says which data was expected', () => {
    expect(issuesOf({ type: 'invoice.payment' })).toEqual({
      data: 'expected an object with the data of invoice.payment',
    });
    expect(issuesOf({ type: 'invoice.payment', data: ['INV-1'] })).toEqual({
      data: 'expected an object with the data of invoice.payment',
    });
  });

  it('when dates and instants are malformed, then they are rejected with the expected form', () => {
    const issues = issuesOf({
      type: 'invoice.issued',
      at: '2026-03-02T09:00:00',
      data: { ...invoice, dueDate: '2026-02-30', issuedAt: '2026-03-02' },
    });
    expect(issues).toEqual({
      at: 'expected an ISO 8601 date-time with an offset, such as "2026-03-02T09:00:00+01:00"',
      'data.dueDate': 'expected a calendar date YYYY-MM-DD',
      'data.issuedAt': 'expected an ISO 8601 date-time with an offset, such as "2026-03-02T09:00:00+01:00"',
    });
  });

  it('when a batch has bad items, then each path starts with the item index, nested paths included', () => {
    const result = parseEvents([
      { type: 'invoice.issued', data: invoice },
      { type: 'invoice.payment', data: { invoiceId: 'INV-1', amount: '1e3' } },
      { type: 'invoice.issued', data: { ...invoice, amount: '12,50' } },
      {
        type: 'invoice.payment_plan',
        data: { invoiceId: 'INV-1', installments: [{ dueDate: '2026-04-01', amount: '-5' }] },
      },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual([
      '[1].data.amount',
      '[2].data.amount',
      '[3].data.installments[0].amount',
    ]);
    // The valid items are reported too, so a caller can explain, but nothing says "ok".
    expect(result.valid.map((v) => v.index)).toEqual([0]);
  });

  it('when a campaign offer ends before the day it is sent, then content.validUntil is named; the same day is fine', () => {
    const campaign = (validUntil: string) => ({
      type: 'campaign.scheduled',
      data: {
        id: 'spring',
        template: 'weekly-offer',
        channels: ['email'],
        contactIds: ['c1'],
        sendAt: '2026-03-10T10:00:00+01:00',
        content: { title: 'Soldes', body: '-20 %', url: 'https://shop.example.com', validUntil },
      },
    });
    expect(issuesOf([campaign('2026-03-09')])).toEqual({
      '[0].data.content.validUntil':
        'expected a date on or after the sendAt date (2026-03-10): the offer would end before it is sent',
    });
    expect(parseEvents(campaign('2026-03-10')).ok).toBe(true);
  });

  it('when the batch is empty, then it is rejected rather than silently accepted', () => {
    expect(issuesOf([])).toEqual({ '(root)': 'expected at least one event' });
  });

  it('when a consent or a dispute outcome uses an unknown value, then the allowed values are listed', () => {
    expect(
      issuesOf({
        type: 'contact.consent',
        data: { contactId: 'c1', channel: 'fax', purpose: 'spam', granted: 'yes', source: 'form' },
      }),
    ).toEqual({
      'data.channel': 'expected a channel: "email" or "sms"',
      'data.purpose': 'expected a purpose: "marketing" or "transactional"',
      'data.granted': 'expected true or false',
    });
    expect(
      issuesOf({ type: 'invoice.dispute_resolved', data: { invoiceId: 'INV-1', outcome: 'maybe' } }),
    ).toEqual({ 'data.outcome': 'expected an outcome: "customer_right" or "invoice_upheld"' });
  });
});
