/**
 * The part of a template's data every message gets, whatever its kind: the contact's names and
 * the company with its human contact lines in the message's locale (`collections` for dunning,
 * `customerCare` for everything else; the config fills the latter with the former when absent).
 * The kind adds its subjects'.
 */
import type { RelanceConfig } from '../config/schema';
import type { Contact } from '../store/contact-repository';

type ContactLine = RelanceConfig['company']['collections'];

function lineIn(line: ContactLine, config: RelanceConfig, locale: string) {
  const { hours } = line;
  return {
    name: line.name,
    email: line.email,
    phone: line.phone,
    hours: hours[locale] ?? hours[config.company.defaultLocale] ?? Object.values(hours)[0] ?? '',
  };
}

export function baseData(contact: Contact, config: RelanceConfig, locale: string) {
  return {
    contact: { firstName: contact.firstName, lastName: contact.lastName, customerType: contact.customerType },
    company: {
      name: config.company.name,
      collections: lineIn(config.company.collections, config, locale),
      customerCare: lineIn(config.company.customerCare, config, locale),
    },
  };
}
