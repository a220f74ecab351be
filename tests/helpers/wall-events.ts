/** Events for the wall-clock tests: contacts, and invoices whose latest due step is due now. */
import { DateTime } from 'luxon';
import { join } from 'node:path';

/** Send windows open at any hour and on any day, so a wall-clock test may run at night. */
export const alwaysOpen = join(import.meta.dirname, '../../examples/config/always-open.yaml');

export const contact = (id: string, consentsToMarketing = false): unknown[] => [
  {
    id: `contact-${id}`,
    type: 'contact.upserted',
    data: {
      id,
      firstName: id.toUpperCase(),
      email: `${id}@example.com`,
      locale: 'fr-FR',
      timezone: 'Europe/Paris',
      country: 'FR',
    },
  },
  ...(consentsToMarketing
    ? [
        {
          id: `consent-${id}`,
          type: 'contact.consent',
          data: {
            contactId: id,
            channel: 'email',
            purpose: 'marketing',
            granted: true,
            source: 'newsletter form',
          },
        },
      ]
    : []),
];

/** Fell due two days ago (Paris): of the steps already due only the latest, D+1, goes, at once. */
export const lateInvoice = (id: string, contactId: string) => ({
  id: `issued-${id}`,
  type: 'invoice.issued',
  data: {
    id,
    contactId,
    number: `FA-${id}`,
    amount: '80.00',
    currency: 'EUR',
    dueDate: DateTime.now().setZone('Europe/Paris').minus({ days: 2 }).toISODate(),
  },
});

export const offer = (id: string, contactIds: string[], sendAt: string) => ({
  id: `campaign-${id}`,
  type: 'campaign.scheduled',
  data: {
    id,
    template: 'weekly-offer',
    channels: ['email'],
    contactIds,
    sendAt,
    content: { title: 'Spring', body: 'Ten per cent off this week.', url: 'https://shop.example.com/spring' },
  },
});
