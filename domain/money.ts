/**
 * Money is never a float: amounts travel as decimal strings at the edges ("1250.00") and as
 * integer minor units inside (125000 cents). The number of minor digits comes from ISO 4217 as
 * the platform's Intl data knows it (EUR 2, JPY 0, KWD 3).
 */
const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

export function isKnownCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && knownCurrencies.has(code);
}

export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
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
  // Intl accepts decimal strings exactly (no binary rounding) when given as a string.
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(decimal as unknown as number);
}
