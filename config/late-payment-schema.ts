/**
 * What a formal notice claims for late payment, per country and customer type. The law differs:
 * a French business owes late-payment interest from the due date and a fixed recovery indemnity
 * per invoice (Code de commerce, L441-10); a consumer owes neither; other countries have their
 * own rules. A notice states only the terms of the contact's country and type.
 */
import { z } from 'zod';
import { zCountry, zCurrency, zDecimal, zLocale } from '../domain/validators';

const citation = z
  .record(zLocale, z.string().min(1).max(200))
  .nullable()
  .default(null)
  .describe(
    'The legal basis, per locale, as written in the notice after the claim (e.g. "art. L441-10 du Code de commerce"); null: none named',
  );

const interestTerms = z
  .strictObject({
    annualRate: zDecimal.describe('Interest rate, percent per year, as stated in the notice'),
    from: z
      .enum(['due_date', 'notice'])
      .default('due_date')
      .describe('When interest starts to run: due_date (French B2B) or the formal notice itself'),
    citation,
  })
  .describe('Late-payment interest the notice claims');

const indemnityTerms = z
  .strictObject({
    amount: zDecimal.describe('Amount due for each unpaid invoice the notice covers'),
    currency: zCurrency.describe('Currency of the amount (whatever the invoices’ currency)'),
    citation,
  })
  .describe('A fixed recovery indemnity, due per invoice: a notice covering two invoices claims it twice');

export const lateTermsSchema = z
  .strictObject({
    interest: interestTerms
      .nullable()
      .default(null)
      .describe('Late-payment interest the notice claims; null: no interest is claimed'),
    fixedIndemnity: indemnityTerms
      .nullable()
      .default(null)
      .describe('Fixed recovery indemnity per invoice; null: none is claimed'),
  })
  .describe('What a formal notice claims for late payment, for one kind of customer');

const termsByCustomerType = z
  .strictObject({
    business: lateTermsSchema.describe('Terms stated to a contact whose customerType is business'),
    consumer: lateTermsSchema.describe(
      'Terms stated to a contact whose customerType is consumer (the default)',
    ),
  })
  .describe('Late-payment terms by customer type');

/**
 * The first form of this section had two keys, both French B2B terms: `annualInterestRate` and
 * `fixedIndemnity`. Override files written for it keep working: their values become the terms of
 * a French business customer (with the L441-10 citation of the defaults, when those have one).
 */
function foldLegacyKeys(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const { annualInterestRate, fixedIndemnity, ...rest } = raw as Record<string, unknown>;
  if (annualInterestRate === undefined && fixedIndemnity === undefined) return raw;
  const byCountry = isRecord(rest.byCountry) ? rest.byCountry : {};
  const fr = isRecord(byCountry.FR) ? byCountry.FR : {};
  const business = isRecord(fr.business) ? fr.business : {};
  const legacy: Record<string, unknown> = { ...business };
  if (annualInterestRate !== undefined)
    legacy.interest = {
      ...(isRecord(business.interest) ? business.interest : {}),
      annualRate: annualInterestRate,
    };
  if (fixedIndemnity !== undefined)
    legacy.fixedIndemnity = isRecord(fixedIndemnity)
      ? { ...(isRecord(business.fixedIndemnity) ? business.fixedIndemnity : {}), ...fixedIndemnity }
      : fixedIndemnity;
  return { ...rest, byCountry: { ...byCountry, FR: { ...fr, business: legacy } } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const latePaymentObject = z
  .strictObject({
    paymentDays: z
      .number()
      .int()
      .min(1)
      .max(60)
      .describe(
        'Days a formal notice gives the customer to pay: its text states them, and the hand-off comes no earlier than this many days after the notice actually left',
      ),
    byCountry: z
      .record(zCountry, termsByCustomerType)
      .default({})
      .describe('Terms by the contact’s country (ISO 3166-1 alpha-2), e.g. FR'),
    otherCountries: termsByCustomerType.describe(
      'Terms for a contact whose country has no entry in byCountry, or who has no country',
    ),
  })
  .describe('Late-payment terms stated in formal notices, by country and customer type');

export const latePaymentSchema = z.preprocess(foldLegacyKeys, latePaymentObject);

export type LateTerms = z.infer<typeof lateTermsSchema>;
export type LatePaymentConfig = z.infer<typeof latePaymentObject>;
