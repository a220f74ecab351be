/**
 * The part of a template's data every message gets, whatever its kind: the contact's names and
 * the company with its human contact line in the message's locale. The kind adds its subjects'.
 */
import type { RelanceConfig } from '../config/schema';
import type { Contact } from '../store/contact-repository';

export function baseData(contact: Contact, config: RelanceConfig, locale: string) {
  const hours = config.company.collections.hours;
  return {
    contact: { firstName: contact.firstName, lastName: contact.lastName, customerType: contact.customerType },
    company: {
      name: config.company.name,
      collections: {
        name: config.company.collections.name,
        email: config.company.collections.email,
        phone: config.company.collections.phone,
        hours: hours[locale] ?? hours[config.company.defaultLocale] ?? Object.values(hours)[0] ?? '',
      },
    },
  };
}
