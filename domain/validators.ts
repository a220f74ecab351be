/**
 * Field validators shared by the event schemas and the configuration schema. Pure: time zones come
 * from Intl via luxon, phone numbers from libphonenumber's metadata, regions from Intl.
 */
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { isKnownCurrency } from './money';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function isValidLocale(locale: string): boolean {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    return canonical !== undefined && /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$/.test(canonical);
  } catch {
    return false;
  }
}

export function isValidCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== code;
}

/** E.164: a plus, the country code, the national number, and a number that exists in its plan. */
export function isE164(phone: string): boolean {
  if (!/^\+[1-9]\d{6,14}$/.test(phone)) return false;
  const parsed = parsePhoneNumberFromString(phone);
  return parsed !== undefined && parsed.number === phone && isValidPhoneNumber(phone);
}

export function isCalendarDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

export const zTimeZone = z
  .string()
  .refine(isValidTimeZone, { message: 'an IANA time zone such as "Europe/Paris"' });
export const zLocale = z
  .string()
  .refine(isValidLocale, { message: 'a BCP 47 locale such as "fr-FR" or "en-GB"' });
export const zCountry = z
  .string()
  .refine(isValidCountry, { message: 'an ISO 3166-1 alpha-2 country code such as "FR"' });
export const zPhone = z
  .string()
  .refine(isE164, { message: 'a valid phone number in E.164 form, such as "+33612345678"' });
export const zCurrency = z
  .string()
  .refine(isKnownCurrency, { message: 'an ISO 4217 currency code such as "EUR"' });
export const zDate = z.string().refine(isCalendarDate, { message: 'a calendar date YYYY-MM-DD' });
export const zInstant = z.iso.datetime({
  offset: true,
  message: 'an ISO 8601 date-time with an offset, such as "2026-03-02T09:00:00+01:00"',
});
export const zDecimal = z
  .string({ message: 'a decimal string such as "1250.00"' })
  .regex(/^(0|[1-9]\d*)(\.\d+)?$/, { message: 'a positive decimal string such as "1250.00"' });
export const zLocalTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'a local time HH:MM, such as "09:30"' });
