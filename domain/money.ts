/**
 * Money is never a float: amounts travel as decimal strings at the edges ("1250.00") and as
 * integer minor units inside (125000 cents). The number of minor digits is ISO 4217's minor unit
 * (EUR 2, JPY 0, KWD 3, RSD 2, IQD 3), from the table in iso4217.ts, not the platform's CLDR data.
 */
import { ISO_4217_MINOR_UNITS } from './iso4217';
import { remembered } from './remembered';

export function isKnownCurrency(code: string): boolean {
  return ISO_4217_MINOR_UNITS.has(code);
}

/** ISO 4217 minor unit. Codes are checked at the edges; an unknown one (a stored, since-withdrawn code) counts 2. */
export function minorDigits(currency: string): number {
  return ISO_4217_MINOR_UNITS.get(currency) ?? 2;
}

const DECIMAL = /^(0|[1-9]\d*)(\.(\d+))?$/;

/** Why a decimal string cannot be an amount in this currency, or undefined when it can. */
export function amountProblem(amount: string, currency: string): string | undefined {
  const match = DECIMAL.exec(amount);
  if (!match)
    return 'a positive decimal string such as "1250.00" (digits, one optional dot, no sign or exponent)';
  const digits = minorDigits(currency);
  const fraction = match[3] ?? '';
  if (fraction.length > digits && !/^0*$/.test(fraction.slice(digits))) {
    return `at most ${digits} decimal places for ${currency}`;
  }
  if (!Number.isSafeInteger(Number(match[1]) * 10 ** digits)) return 'an amount below 10^13';
  return undefined;
}

/** "1250.5" EUR -> 125050. Throws on input amountProblem() rejects. */
export function toMinor(amount: string, currency: string): number {
  const problem = amountProblem(amount, currency);
  if (problem) throw new Error(`Invalid amount "${amount}": expected ${problem}`);
  const digits = minorDigits(currency);
  const [whole = '0', fraction = ''] = amount.split('.');
  const padded = (fraction + '0'.repeat(digits)).slice(0, digits);
  return Number(whole) * 10 ** digits + (digits === 0 ? 0 : Number(padded));
}

/** 125050 EUR -> "1250.50". */
export function fromMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const factor = 10 ** digits;
  return `${sign}${Math.floor(abs / factor)}.${String(abs % factor).padStart(digits, '0')}`;
}

/** Locale-formatted amount ("1 250,50 €" in fr-FR), from minor units without float arithmetic. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const decimal = fromMinor(minor, currency);
  const digits = minorDigits(currency);
  // Intl accepts decimal strings exactly (no binary rounding) when given as a string. Its own digit
  // count is CLDR's (IQD 0): ISO's minor unit is imposed so that no fils or para disappear.
  const format = currencyFormat(locale, currency, digits);
  return format.format(decimal as unknown as number);
}

/**
 * Building an Intl.NumberFormat costs about 25 µs, formatting with one about 0.5 µs, and a
 * reminder formats its amounts several times (plan, template data, subject): one formatter per
 * locale, currency and digit count, kept (a bounded few: currencies are ISO's, locales configured).
 */
const formats = new Map<string, Intl.NumberFormat>();
const MAX_FORMATS = 512;

function currencyFormat(locale: string, currency: string, digits: number): Intl.NumberFormat {
  return remembered(
    formats,
    `${locale}|${currency}|${digits}`,
    MAX_FORMATS,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
  );
}
