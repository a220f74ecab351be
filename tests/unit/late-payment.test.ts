import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { latePaymentData, lateTermsFor } from '../../kinds/invoice/late-payment-terms';
import { latePaymentSchema } from '../../config/late-payment-schema';
import { loadConfig } from '../../config/load-config';
import { ErrorCode, RelanceError } from '../../domain/errors';

const dir = mkdtempSync(join(tmpdir(), 'relance-late-payment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const override = (name: string, yaml: string) => {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
};

const config = loadConfig();
const frenchBusiness = { country: 'FR', customerType: 'business' } as const;

/** Paths of object keys without a description, walking through wrappers, records and arrays. */
function undescribed(schema: z.ZodType, path: string): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const inner = (def.innerType ?? def.valueType ?? def.element ?? def.out) as z.ZodType | undefined;
  if (inner) return undescribed(inner, path);
  if (def.type !== 'object') return [];
  const shape = def.shape as Record<string, z.ZodType>;
  return Object.entries(shape).flatMap(([key, value]) => [
    ...(value.description ? [] : [`${path}.${key}`]),
    ...undescribed(value, `${path}.${key}`),
  ]);
}

describe('late-payment terms in the configuration', () => {
  it('when the schema is read, then every key says what it is for', () => {
    expect(undescribed(latePaymentSchema, 'company.latePayment')).toEqual([]);
  });

  it('when the default file loads, then a French business gets interest and the 40 EUR indemnity, and nobody else gets anything', () => {
    const citation = {
      'fr-FR': 'art. L441-10 du Code de commerce',
      'en-GB': 'Article L441-10 of the French Commercial Code',
    };
    expect(lateTermsFor(frenchBusiness, config)).toEqual({
      interest: { annualRate: '12.15', from: 'due_date', citation },
      fixedIndemnity: { amount: '40.00', currency: 'EUR', citation },
    });
    const nothing = { interest: null, fixedIndemnity: null };
    expect(lateTermsFor({ country: 'FR', customerType: 'consumer' }, config)).toEqual(nothing);
    expect(lateTermsFor({ country: 'GB', customerType: 'business' }, config)).toEqual(nothing);
    expect(lateTermsFor({ country: 'GB', customerType: 'consumer' }, config)).toEqual(nothing);
    expect(lateTermsFor({ country: null, customerType: 'business' }, config)).toEqual(nothing);
  });

  it('when an override adds a country, then its terms apply there and France keeps its own', () => {
    const file = override(
      'gb.yaml',
      `company:
  latePayment:
    byCountry:
      GB:
        business:
          interest: { annualRate: '8.00', citation: { en-GB: Late Payment of Commercial Debts (Interest) Act 1998 } }
        consumer: {}
`,
    );
    const withGb = loadConfig([file]);
    expect(lateTermsFor({ country: 'GB', customerType: 'business' }, withGb)).toEqual({
      interest: {
        annualRate: '8.00',
        from: 'due_date',
        citation: { 'en-GB': 'Late Payment of Commercial Debts (Interest) Act 1998' },
      },
      fixedIndemnity: null,
    });
    expect(lateTermsFor({ country: 'GB', customerType: 'consumer' }, withGb)).toEqual({
      interest: null,
      fixedIndemnity: null,
    });
    expect(lateTermsFor(frenchBusiness, withGb).fixedIndemnity?.amount).toBe('40.00');
  });

  it('when an override file still uses the first form (annualInterestRate, fixedIndemnity), then it sets the French business terms', () => {
    const file = override(
      'legacy.yaml',
      `company:
  latePayment:
    annualInterestRate: '11.50'
    fixedIndemnity: { amount: '45.00', currency: EUR }
`,
    );
    const legacy = loadConfig([file]);
    const terms = lateTermsFor(frenchBusiness, legacy);
    expect(terms.interest?.annualRate).toBe('11.50');
    expect(terms.interest?.citation?.['fr-FR']).toContain('L441-10');
    expect(terms.fixedIndemnity?.amount).toBe('45.00');
    expect(lateTermsFor({ country: 'FR', customerType: 'consumer' }, legacy).fixedIndemnity).toBeNull();
  });

  it('when an override sets a bad country, amount or currency, then each is named with its path', () => {
    const file = override(
      'bad.yaml',
      `company:
  latePayment:
    byCountry:
      XX: { business: {}, consumer: {} }
      FR:
        business:
          fixedIndemnity: { amount: '-40', currency: EURO }
`,
    );
    try {
      loadConfig([file]);
      expect.fail('expected the configuration to be rejected');
    } catch (error) {
      expect(error).toBeInstanceOf(RelanceError);
      expect((error as RelanceError).code).toBe(ErrorCode.InvalidConfig);
      const paths = (error as RelanceError).issues.map((i) => i.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'company.latePayment.byCountry.XX',
          'company.latePayment.byCountry.FR.business.fixedIndemnity.amount',
          'company.latePayment.byCountry.FR.business.fixedIndemnity.currency',
        ]),
      );
    }
  });
});

describe('late-payment data of a formal notice', () => {
  it('when a French business notice covers two invoices, then the indemnity is counted per invoice', () => {
    expect(latePaymentData(frenchBusiness, 2, config, 'fr-FR').fixedIndemnity).toEqual({
      perInvoice: { minor: 4000, currency: 'EUR' },
      invoiceCount: 2,
      total: { minor: 8000, currency: 'EUR' },
      citation: 'art. L441-10 du Code de commerce',
    });
  });

  it('when the notice is in English, then the citation is the English one', () => {
    expect(latePaymentData(frenchBusiness, 1, config, 'en-GB').interest?.citation).toBe(
      'Article L441-10 of the French Commercial Code',
    );
  });

  it('when the contact is a consumer, then nothing is claimed', () => {
    expect(latePaymentData({ country: 'FR', customerType: 'consumer' }, 3, config, 'fr-FR')).toEqual({
      paymentDays: 8,
      interest: null,
      fixedIndemnity: null,
    });
  });
});
