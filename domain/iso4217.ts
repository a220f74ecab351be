/**
 * ISO 4217 minor units ("exponent": digits after the decimal point) of the currencies an amount may
 * be in. Source: ISO 4217 List One, "Current currency & funds code list", published by SIX Group
 * (the standard's maintenance agency), status 2025 (XCG and ZWG included). Data, not code: when
 * SIX publishes an amendment, update this table.
 *
 * Why not Intl: the platform's Intl data is CLDR's, which states how many digits people write
 * in cash, not ISO's minor unit (CLDR gives IQD, HUF, IDR, COP… 0 digits, RSD too in older
 * releases; ISO gives 2 or 3). Checked against the JDK's java.util.Currency data, which agrees.
 *
 * Left out on purpose: codes whose minor unit ISO gives as "N.A." (XAU, XAG, XPD, XPT, XDR, XSU,
 * XUA, XBA–XBD, XTS, XXX): metals, units of account and test codes are not what invoices are in;
 * and withdrawn codes (HRK since 2023, VEF, MRO, STD…). Codes still legal tender while their
 * successor phases in (ANG/XCG, SLL/SLE, ZWL/ZWG, BGN) stay.
 */
const BY_EXPONENT: Readonly<Record<0 | 2 | 3 | 4, readonly string[]>> = {
  0: [
    ...['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV'],
    ...['XAF', 'XOF', 'XPF'],
  ],
  2: [
    ...['AED', 'AFN', 'ALL', 'AMD', 'ANG', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM', 'BBD', 'BDT', 'BGN'],
    ...['BMD', 'BND', 'BOB', 'BOV', 'BRL', 'BSD', 'BTN', 'BWP', 'BYN', 'BZD', 'CAD', 'CDF', 'CHE', 'CHF'],
    ...['CHW', 'CNY', 'COP', 'COU', 'CRC', 'CUC', 'CUP', 'CVE', 'CZK', 'DKK', 'DOP', 'DZD', 'EGP', 'ERN'],
    ...['ETB', 'EUR', 'FJD', 'FKP', 'GBP', 'GEL', 'GHS', 'GIP', 'GMD', 'GTQ', 'GYD', 'HKD', 'HNL', 'HTG'],
    ...['HUF', 'IDR', 'ILS', 'INR', 'IRR', 'JMD', 'KES', 'KGS', 'KHR', 'KPW', 'KYD', 'KZT', 'LAK', 'LBP'],
    ...['LKR', 'LRD', 'LSL', 'MAD', 'MDL', 'MGA', 'MKD', 'MMK', 'MNT', 'MOP', 'MRU', 'MUR', 'MVR', 'MWK'],
    ...['MXN', 'MXV', 'MYR', 'MZN', 'NAD', 'NGN', 'NIO', 'NOK', 'NPR', 'NZD', 'PAB', 'PEN', 'PGK', 'PHP'],
    ...['PKR', 'PLN', 'QAR', 'RON', 'RSD', 'RUB', 'SAR', 'SBD', 'SCR', 'SDG', 'SEK', 'SGD', 'SHP', 'SLE'],
    ...['SLL', 'SOS', 'SRD', 'SSP', 'STN', 'SVC', 'SYP', 'SZL', 'THB', 'TJS', 'TMT', 'TOP', 'TRY', 'TTD'],
    ...['TWD', 'TZS', 'UAH', 'USD', 'USN', 'UYU', 'UZS', 'VED', 'VES', 'WST', 'XCD', 'XCG', 'YER', 'ZAR'],
    ...['ZMW', 'ZWG', 'ZWL'],
  ],
  3: ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'],
  4: ['CLF', 'UYW'],
};

/** Currency code -> ISO 4217 minor unit. */
export const ISO_4217_MINOR_UNITS: ReadonlyMap<string, number> = new Map(
  Object.entries(BY_EXPONENT).flatMap(([exponent, codes]) =>
    codes.map((code) => [code, Number(exponent)] as const),
  ),
);
