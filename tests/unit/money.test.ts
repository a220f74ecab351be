import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amountProblem,
  formatMoney,
  fromMinor,
  isKnownCurrency,
  minorDigits,
  toMinor,
} from '../../domain/money';

describe('money', () => {
  it('when a currency is known to ISO 4217, then its minor units come from it (EUR 2, JPY 0, KWD 3)', () => {
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('GBP')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
    expect(isKnownCurrency('EUR')).toBe(true);
    expect(isKnownCurrency('eur')).toBe(false);
    expect(isKnownCurrency('XYZ')).toBe(false);
  });

  it('when Intl (CLDR) and ISO 4217 disagree, then ISO 4217 decides: RSD 2, IQD 3, HUF 2, IDR 2, COP 2, CLF 4, UYW 4', () => {
    expect(minorDigits('RSD')).toBe(2);
    expect(minorDigits('IQD')).toBe(3);
    expect(minorDigits('HUF')).toBe(2);
    expect(minorDigits('IDR')).toBe(2);
    expect(minorDigits('COP')).toBe(2);
    expect(minorDigits('ISK')).toBe(0);
    expect(minorDigits('TND')).toBe(3);
    expect(minorDigits('BHD')).toBe(3);
    expect(minorDigits('CLF')).toBe(4);
    expect(minorDigits('UYW')).toBe(4);
    expect(toMinor('1250.00', 'RSD')).toBe(125000);
    expect(toMinor('1250.125', 'IQD')).toBe(1250125);
    expect(toMinor('1250', 'JPY')).toBe(1250);
    expect(amountProblem('1250.1234', 'IQD')).toBe('at most 3 decimal places for IQD');
    expect(amountProblem('1.5', 'JPY')).toBe('at most 0 decimal places for JPY');
  });

  it('when a code is withdrawn or has no minor unit in ISO 4217, then it is not a currency an amount may be in', () => {
    expect(isKnownCurrency('HRK')).toBe(false); // withdrawn in 2023 (euro)
    expect(isKnownCurrency('XAU')).toBe(false); // gold: minor unit N.A.
    expect(isKnownCurrency('XCG')).toBe(true); // Caribbean guilder, 2025
    expect(isKnownCurrency('ZWG')).toBe(true);
  });

  it('when an amount is converted, then it becomes integer minor units without float error', () => {
    expect(toMinor('1250.5', 'EUR')).toBe(125050);
    expect(toMinor('1250.00', 'EUR')).toBe(125000);
    expect(toMinor('0.1', 'EUR') + toMinor('0.2', 'EUR')).toBe(toMinor('0.3', 'EUR'));
    expect(toMinor('1250', 'JPY')).toBe(1250);
    expect(toMinor('1.234', 'KWD')).toBe(1234);
    expect(toMinor('19.99', 'KWD')).toBe(19990);
  });

  it('when an amount has more decimals than the currency, then it is rejected, unless they are zeros', () => {
    expect(amountProblem('12.345', 'EUR')).toBe('at most 2 decimal places for EUR');
    expect(amountProblem('12.5', 'JPY')).toBe('at most 0 decimal places for JPY');
    expect(amountProblem('1.2345', 'KWD')).toBe('at most 3 decimal places for KWD');
    expect(() => toMinor('12.345', 'EUR')).toThrow(
      'Invalid amount "12.345": expected at most 2 decimal places',
    );
    expect(toMinor('12.340', 'EUR')).toBe(1234);
    expect(toMinor('12.0', 'JPY')).toBe(12);
  });

  it.each(['12,50', '1e3', '-5', '', '1.2.3', 'NaN'])(
    'when the amount is "%s", then it is refused',
    (amount) => {
      expect(amountProblem(amount, 'EUR')).toMatch(/^a positive decimal string/);
      expect(() => toMinor(amount, 'EUR')).toThrow(/Invalid amount/);
    },
  );

  it('when an amount is too large to count exactly in minor units, then it is refused', () => {
    expect(amountProblem('99999999999999.00', 'EUR')).toBe('an amount below 10^13');
    expect(amountProblem('9999999999999.99', 'EUR')).toBeUndefined();
  });

  it('when minor units go back to a decimal string, then zeros are padded per currency', () => {
    expect(fromMinor(125050, 'EUR')).toBe('1250.50');
    expect(fromMinor(5, 'EUR')).toBe('0.05');
    expect(fromMinor(-5, 'EUR')).toBe('-0.05');
    expect(fromMinor(1250, 'JPY')).toBe('1250');
    expect(fromMinor(1, 'KWD')).toBe('0.001');
  });

  it('when any amount makes a round trip through minor units, then it comes back unchanged', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 15 }),
        fc.constantFrom('EUR', 'JPY', 'KWD', 'GBP', 'IQD', 'RSD', 'CLF'),
        (minor, currency) => toMinor(fromMinor(minor, currency), currency) === minor,
      ),
      { numRuns: 300 },
    );
  });

  it('when money is formatted, then each locale writes it its own way', () => {
    // fr-FR groups with a narrow no-break space and puts the symbol after a no-break space.
    expect(formatMoney(125050, 'EUR', 'fr-FR')).toBe('1\u202f250,50\u00a0€');
    expect(formatMoney(125050, 'EUR', 'en-GB')).toBe('€1,250.50');
    expect(formatMoney(125000, 'JPY', 'en-GB')).toBe('JP¥125,000');
    expect(formatMoney(1234, 'KWD', 'en-GB')).toBe('KWD\u00a01.234');
    expect(formatMoney(-500, 'EUR', 'fr-FR')).toBe('-5,00\u00a0€');
  });

  it('when money is formatted, then it shows ISO 4217 minor digits even where CLDR shows fewer', () => {
    expect(formatMoney(1250125, 'IQD', 'en-GB')).toBe('IQD\u00a01,250.125');
    expect(formatMoney(125000, 'RSD', 'en-GB')).toBe('RSD\u00a01,250.00');
    expect(formatMoney(125050, 'HUF', 'en-GB')).toBe('HUF\u00a01,250.50');
    expect(formatMoney(125000, 'JPY', 'fr-FR')).toBe('125\u202f000\u00a0JPY');
  });

  it('when an amount is beyond float precision, then formatting stays exact to the cent', () => {
    expect(formatMoney(123_456_789_012_345, 'EUR', 'en-GB')).toBe('€1,234,567,890,123.45');
  });

  it('when amounts are formatted in turn in several locales and currencies, then each keeps its own format (formatters are kept per locale and currency)', () => {
    const format = (minor: number, currency: string, locale: string) =>
      formatMoney(minor, currency, locale).replace(/\s/g, ' ');
    for (let round = 0; round < 2; round++) {
      expect(format(125050, 'EUR', 'fr-FR')).toBe('1 250,50 €');
      expect(format(125050, 'EUR', 'en-GB')).toBe('€1,250.50');
      expect(format(125050, 'GBP', 'en-GB')).toBe('£1,250.50');
      expect(format(1250, 'JPY', 'en-GB')).toBe('JP¥1,250');
      expect(format(1250500, 'KWD', 'en-GB')).toBe('KWD 1,250.500');
    }
  });
});
