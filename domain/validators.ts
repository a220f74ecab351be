/**
 * Field validators shared by the event schemas and the configuration schema. Pure: time zones come
 * from Intl via luxon, phone numbers from libphonenumber's metadata, regions from Intl.
 */
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { FIRST_DATE, LAST_DATE, isCalendarDate, isDateInRange } from './calendar-date';
import { isKnownCurrency } from './money';
import { remembered } from './remembered';
import { jsonProblems } from './text-guard';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * Luxon answers by building an `Intl.DateTimeFormat` for the zone: some 8 KB of ICU's memory
 * outside the JavaScript heap, which the collector does not count and so frees late (posting
 * 20,000 contacts grew the C heap by 175 MB). A zone name's validity does not change while the
 * process runs, so each name is asked once.
 */
const zoneValidity = new Map<string, boolean>();
const ZONE_NAMES_KEPT = 2_000;

export function isValidTimeZone(zone: string): boolean {
  return remembered(zoneValidity, zone, ZONE_NAMES_KEPT, () => IANAZone.isValidZone(zone));
}

export function isValidLocale(locale: string): boolean {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    return canonical !== undefined && /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$/.test(canonical);
  } catch {
    return false;
  }
}

/**
 * Codes Intl names but ISO 3166-1 does not assign to a country: user-assigned (AA, QM–QZ, XA–XZ,
 * ZZ "Unknown Region") and groupings (EU, EZ, UN). Kosovo's XK is kept: it is in wide use.
 */
const NOT_A_COUNTRY = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN)$/;

export function isValidCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !NOT_A_COUNTRY.test(code) && regionNames.of(code) !== code;
}

/** E.164: a plus, the country code, the national number, and a number that exists in its plan. */
export function isE164(phone: string): boolean {
  if (!/^\+[1-9]\d{6,14}$/.test(phone)) return false;
  const parsed = parsePhoneNumberFromString(phone);
  return parsed !== undefined && parsed.number === phone && isValidPhoneNumber(phone);
}

export { FIRST_DATE, LAST_DATE, isCalendarDate, isDateInRange };

/** Instants share the years of dates (domain/calendar-date.ts). */
const FIRST_INSTANT_MS = Date.parse(`${FIRST_DATE}T00:00:00Z`);
const AFTER_LAST_INSTANT_MS = Date.parse(`${LAST_DATE}T00:00:00Z`) + 24 * 3600 * 1000;

/** An instant within the accepted years, once moved to UTC. */
export function isInstantInRange(value: string): boolean {
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= FIRST_INSTANT_MS && ms < AFTER_LAST_INSTANT_MS;
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
export const zDate = z
  .string()
  .refine(isCalendarDate, { message: 'a calendar date YYYY-MM-DD', abort: true })
  .refine(isDateInRange, { message: `a date between ${FIRST_DATE} and ${LAST_DATE}` });
export const zInstant = z.iso
  .datetime({
    offset: true,
    message: 'an ISO 8601 date-time with an offset, such as "2026-03-02T09:00:00+01:00"',
  })
  .refine(isInstantInRange, { message: `a date-time between ${FIRST_DATE} and ${LAST_DATE} (in UTC)` });

/** Free-form attributes: a JSON object, at most 10 levels deep and 1,000 values in all. */
export const ATTRIBUTE_LIMITS = { maxDepth: 10, maxNodes: 1000 };
export const zAttributes = z.record(z.string().max(200), z.unknown()).superRefine((value, ctx) => {
  for (const problem of jsonProblems(value, ATTRIBUTE_LIMITS))
    ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
});
export const zDecimal = z
  .string({ message: 'a decimal string such as "1250.00"' })
  .regex(/^(0|[1-9]\d*)(\.\d+)?$/, { message: 'a positive decimal string such as "1250.00"' });
export const zLocalTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'a local time HH:MM, such as "09:30"' });
