/** The pure rules of erasure: what an event's stored data keeps, and how quoted addresses go. */
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_UPDATED } from '../../domain/campaign';
import { ERASED, hasErasureRule, redact, scrubEventData } from '../../domain/erasure';
import { eventTypes } from '../../domain/events';

describe('erasure rules', () => {
  it.each(eventTypes)('every event type has an explicit rule: %s', (type) => {
    expect(hasErasureRule(type)).toBe(true);
  });

  it('when a campaign.updated (internal, from a PATCH) is scrubbed, then its campaign and changed key names stay', () => {
    expect(hasErasureRule(CAMPAIGN_UPDATED)).toBe(true);
    const data = { campaignId: 'weekly-gold', changed: ['recurrence'] };
    expect(scrubEventData(CAMPAIGN_UPDATED, data)).toEqual(data);
  });

  it('when a contact.upserted is scrubbed, then only its id and coarse settings remain', () => {
    const data = {
      id: 'c1',
      firstName: 'Marie',
      lastName: 'Durand',
      email: 'marie@example.com',
      phone: '+33612345678',
      locale: 'fr-FR',
      timezone: 'Europe/Paris',
      country: 'FR',
      tags: ['vip'],
      attributes: { birthday: '1984-07-12' },
    };
    expect(scrubEventData('contact.upserted', data)).toEqual({
      id: 'c1',
      firstName: ERASED,
      lastName: ERASED,
      email: ERASED,
      phone: ERASED,
      locale: 'fr-FR',
      timezone: 'Europe/Paris',
      country: 'FR',
      tags: ERASED,
      attributes: ERASED,
    });
  });

  it('when a consent is scrubbed, then the proof stays and its source goes', () => {
    expect(
      scrubEventData('contact.consent', {
        contactId: 'c1',
        channel: 'sms',
        purpose: 'marketing',
        granted: true,
        source: 'form signed by Marie Durand',
        legalBasis: 'consent',
      }),
    ).toEqual({
      contactId: 'c1',
      channel: 'sms',
      purpose: 'marketing',
      granted: true,
      source: ERASED,
      legalBasis: 'consent',
    });
  });

  it('when a type has no rule, then only references, numbers and booleans are kept', () => {
    expect(
      // A type Relance does not know (card.registered, the earlier example, now has its rule).
      scrubEventData('subscription.started', {
        id: 'card-1',
        contactId: 'c1',
        label: 'Visa of Marie',
        points: 3,
        kind: 'x',
      }),
    ).toEqual({ id: 'card-1', contactId: 'c1', label: ERASED, points: 3, kind: ERASED });
  });

  it('when a voucher was issued to an erased contact, then its code, label and link go and its value and dates stay', () => {
    expect(
      scrubEventData('voucher.issued', {
        id: 'V-1',
        contactId: 'c1',
        code: 'MARIE-10',
        label: 'Bon de Marie',
        value: '10',
        currency: 'EUR',
        expiresOn: '2026-04-15',
        useUrl: 'https://shop.example/v/marie',
      }),
    ).toEqual({
      id: 'V-1',
      contactId: 'c1',
      code: ERASED,
      label: ERASED,
      value: '10',
      currency: 'EUR',
      expiresOn: '2026-04-15',
      useUrl: ERASED,
    });
  });

  it('when a text quotes an address in any case, then it is cut out wherever it appears', () => {
    expect(
      redact(
        [{ rule: 'address', detail: 'Marie@Example.com is on the suppression list' }, '+33612345678 refused'],
        ['marie@example.com', '+33612345678'],
      ),
    ).toEqual([{ rule: 'address', detail: `${ERASED} is on the suppression list` }, `${ERASED} refused`]);
  });

  it('when an id happens to contain the erased first name, then the id is kept so the records stay reachable', () => {
    expect(
      redact({ contactId: 'c-hugo', invoiceIds: ['INV-HUGO-1'], note: 'Hugo called' }, ['Hugo']),
    ).toEqual({ contactId: 'c-hugo', invoiceIds: ['INV-HUGO-1'], note: `${ERASED} called` });
  });
});
