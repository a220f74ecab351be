/**
 * The variables templates may use, as zod schemas: a template names its set in template.yaml.
 * Render data is parsed with the set's schema first, so a missing or mistyped value fails loudly
 * (never renders blank), and each set's sample lets every template be rendered at start.
 */
import { z } from 'zod';
import { company, contact, isoDate, money, sampleBase } from './common-variables';
import { expiryVariableSets } from './expiry-variables';

export type { Money } from './common-variables';

/** Only what applies to the contact's country and customer type; null: not claimed, not stated. */
const latePayment = z.strictObject({
  /** Days the formal notice gives to pay (the hand-off waits that long after it left). */
  paymentDays: z.number().int().min(1),
  interest: z
    .strictObject({
      annualRate: z.string(),
      from: z.enum(['due_date', 'notice']),
      citation: z.string().nullable(),
    })
    .nullable(),
  fixedIndemnity: z
    .strictObject({
      perInvoice: money,
      invoiceCount: z.number().int().min(1),
      total: money,
      citation: z.string().nullable(),
    })
    .nullable(),
});

export const invoiceLine = z.strictObject({
  id: z.string(),
  number: z.string(),
  amount: money,
  amountDue: money,
  dueDate: isoDate,
  paymentUrl: z.url(),
  daysOverdue: z.number().int(),
});

const dunning = z.strictObject({
  contact,
  company,
  invoices: z.array(invoiceLine).min(1),
  invoice: invoiceLine,
  totalDue: money,
  latePayment,
});

const installment = dunning.extend({
  installment: z.strictObject({
    number: z.number().int().min(1),
    count: z.number().int().min(1),
    dueDate: isoDate,
    amount: money,
  }),
});

/** A person's own message about a hand-off: the invoice it is about and the text they wrote. */
const agent = dunning.extend({
  agent: z.strictObject({ text: z.string().min(1) }),
});

const offer = z.strictObject({
  contact,
  company,
  offer: z.strictObject({
    title: z.string(),
    body: z.string(),
    url: z.url(),
    validUntil: isoDate.nullable(),
  }),
  unsubscribeUrl: z.url(),
});

const sampleInvoice = {
  id: 'INV-2026-000123',
  number: 'FA-2026-000123',
  amount: { minor: 1_234_567, currency: 'EUR' },
  amountDue: { minor: 1_234_567, currency: 'EUR' },
  dueDate: '2026-03-15',
  paymentUrl: 'https://pay.example.com/i/FA-2026-000123',
  daysOverdue: 12,
};
const sampleDunning = {
  ...sampleBase,
  invoices: [sampleInvoice],
  invoice: sampleInvoice,
  totalDue: sampleInvoice.amountDue,
  // A French business: the longest wording, so start-up checks the longest SMS.
  latePayment: {
    paymentDays: 8,
    interest: {
      annualRate: '12.15',
      from: 'due_date' as const,
      citation: 'art. L441-10 du Code de commerce',
    },
    fixedIndemnity: {
      perInvoice: { minor: 4000, currency: 'EUR' },
      invoiceCount: 1,
      total: { minor: 4000, currency: 'EUR' },
      citation: 'art. L441-10 du Code de commerce',
    },
  },
};

export const variableSets = {
  dunning: { schema: dunning, sample: sampleDunning },
  installment: {
    schema: installment,
    sample: {
      ...sampleDunning,
      installment: {
        number: 2,
        count: 3,
        dueDate: '2026-04-15',
        amount: { minor: 411_523, currency: 'EUR' },
      },
    },
  },
  agent: {
    schema: agent,
    sample: { ...sampleDunning, agent: { text: 'Bonjour, suite à notre appel, voici le lien de paiement.' } },
  },
  offer: {
    schema: offer,
    sample: {
      ...sampleBase,
      offer: {
        title: 'Les soldes d’hiver commencent',
        body: 'Jusqu’à -40 % sur une sélection.',
        url: 'https://shop.example.com/soldes',
        validUntil: '2026-02-10',
      },
      unsubscribeUrl: 'https://relance.example.com/v1/unsubscribe?t=sample',
    },
  },
  ...expiryVariableSets,
} as const;

export type VariableSetName = keyof typeof variableSets;
export type DunningVariables = z.infer<typeof dunning>;
export type InstallmentVariables = z.infer<typeof installment>;
export type OfferVariables = z.infer<typeof offer>;
export type InvoiceLine = z.infer<typeof invoiceLine>;
export type LatePaymentVariables = z.infer<typeof latePayment>;
