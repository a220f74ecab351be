/**
 * The variables every template set shares (money, dates, the contact, the company and its human
 * contact line) and the sample contact and company the start-up checks render with.
 */
import { z } from 'zod';

export const money = z.strictObject({ minor: z.number().int(), currency: z.string().length(3) });
export type Money = z.infer<typeof money>;

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const contact = z.strictObject({
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  // Optional in preview data written before it existed; the late-payment terms already depend on it.
  customerType: z.enum(['business', 'consumer']).default('consumer'),
});

/** A human contact line as templates print it: hours already chosen for the message's locale. */
const contactLine = z.strictObject({
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  hours: z.string(),
});

/**
 * `customerCare` (config company.customerCare) is the expiry reminders' contact line; data built
 * before it existed, or for a company without one, gets `collections` in its place.
 */
export const company = z
  .strictObject({ name: z.string(), collections: contactLine, customerCare: contactLine.optional() })
  .transform((c) => ({ ...c, customerCare: c.customerCare ?? c.collections }));

export const sampleBase = {
  contact: { firstName: 'Marie-Christine', lastName: 'de La Fontaine', customerType: 'business' as const },
  company: {
    name: 'Maison Exemple',
    collections: {
      name: 'Claire Martin',
      email: 'recouvrement@maison-exemple.fr',
      phone: '+33140000000',
      hours: 'du lundi au vendredi, de 9 h à 18 h',
    },
    customerCare: {
      name: 'Service clients Maison Exemple',
      email: 'service-clients@maison-exemple.fr',
      phone: '+33140000001',
      hours: 'du lundi au samedi, de 9 h à 19 h',
    },
  },
};
