/**
 * Variables of the expiry reminders (cards, vouchers, points lots): one message lists every item
 * of one kind that reached the same step on the same local day. `item` is the first of `items`,
 * `count` their number. Each template's set pins the kind it speaks of, so a voucher template fed
 * a card fails loudly. Marketing sets (vouchers, points) require the one-click unsubscribe link;
 * card reminders are transactional and show it only when a schedule made them marketing.
 *
 * Their human contact line (`_partials/help-line`, the expired card's "get in touch", the SMS
 * "Questions?" number) reads `company.customerCare`: `{ name, email, phone, hours }`, all strings,
 * `hours` already picked for the message's locale, built from config `company.customerCare` the
 * way `company.collections` is built from its config (config/schema.ts makes customerCare the
 * collections line when none is configured). Data without `customerCare` renders with
 * `collections` in its place (common-variables.ts).
 */
import { z } from 'zod';
import { company, contact, isoDate, money, sampleBase } from './common-variables';

/** One expiring item as its templates see it. */
export const itemLine = z.strictObject({
  id: z.string(),
  kind: z.enum(['card', 'voucher', 'points']),
  cardKind: z.enum(['loyalty', 'payment']).nullable(),
  /** What the customer calls it: "Carte Fidélité Or", "Visa •••• 4242", "Bon d'achat de 10 €". */
  label: z.string().min(1),
  code: z.string().nullable(),
  value: money.nullable(),
  /** Points left in the lot (points only). */
  points: z.number().int().min(0).nullable(),
  expiresOn: isoDate,
  /** Days from the contact's local today to expiresOn: 0 the last day, negative once past. */
  daysLeft: z.number().int(),
  /** Where to use or renew it; null: the templates leave the link line out. */
  url: z.url().nullable(),
});
export type ItemLine = z.infer<typeof itemLine>;

const loyaltyCard = itemLine.extend({ kind: z.literal('card'), cardKind: z.literal('loyalty') });
const paymentCard = itemLine.extend({ kind: z.literal('card'), cardKind: z.literal('payment') });
const voucher = itemLine.extend({ kind: z.literal('voucher'), code: z.string().min(1) });
const points = itemLine.extend({ kind: z.literal('points'), points: z.number().int().min(0) });

/** The set of one kind; `unsubscribe` says whether the link is required (marketing) or optional. */
function expirySet(line: z.ZodType<ItemLine>, unsubscribe: 'required' | 'optional') {
  return z
    .strictObject({
      contact,
      company,
      items: z.array(line).min(1),
      item: line,
      count: z.number().int().min(1),
      unsubscribeUrl: unsubscribe === 'required' ? z.url() : z.url().nullable().default(null),
    })
    .superRefine((data, ctx) => {
      if (data.count !== data.items.length)
        ctx.addIssue({
          code: 'custom',
          path: ['count'],
          message: `expected ${data.items.length} (items.length)`,
        });
      if (data.item.id !== data.items[0]?.id)
        ctx.addIssue({ code: 'custom', path: ['item', 'id'], message: 'expected the first of items' });
    });
}

const loyaltyCardExpiry = expirySet(loyaltyCard, 'optional');
const paymentCardExpiry = expirySet(paymentCard, 'optional');
const voucherExpiry = expirySet(voucher, 'required');
const pointsExpiry = expirySet(points, 'required');
/** What an expiry template renders from (the kind data builder's output). */
export type ExpiryVariables = z.input<typeof loyaltyCardExpiry>;

// Samples are long on purpose (name, label, URL, a value with "€"): start-up checks SMS budgets with them.
const sampleItem = (line: Omit<ItemLine, 'expiresOn' | 'daysLeft'>) => ({
  ...line,
  expiresOn: '2026-03-15',
  daysLeft: 7,
});
const sampleOf = <L extends ItemLine>(line: L, unsubscribe: boolean) => ({
  ...sampleBase,
  items: [line],
  item: line,
  count: 1,
  ...(unsubscribe ? { unsubscribeUrl: 'https://relance.example.com/v1/unsubscribe?t=sample' } : {}),
});

export const expiryVariableSets = {
  'loyalty-card-expiry': {
    schema: loyaltyCardExpiry,
    sample: sampleOf(
      sampleItem({
        id: 'LC-2026-000123',
        kind: 'card',
        cardKind: 'loyalty',
        label: 'Carte Fidélité Or Galeries Lafayette',
        code: null,
        value: null,
        points: null,
        url: 'https://fidelite.maison-exemple.fr/carte/renouveler?id=LC-2026-000123',
      }),
      false,
    ),
  },
  'payment-card-expiry': {
    schema: paymentCardExpiry,
    sample: sampleOf(
      sampleItem({
        id: 'PM-2026-000456',
        kind: 'card',
        cardKind: 'payment',
        label: 'Visa •••• 4242',
        code: null,
        value: null,
        points: null,
        url: 'https://www.maison-exemple.fr/mon-compte/moyens-de-paiement',
      }),
      false,
    ),
  },
  'voucher-expiry': {
    schema: voucherExpiry,
    sample: sampleOf(
      sampleItem({
        id: 'V-2026-000789',
        kind: 'voucher',
        cardKind: null,
        label: 'Bon d’achat de 10 € — Noël',
        code: 'NOEL2026ABCD',
        value: { minor: 1000, currency: 'EUR' },
        points: null,
        url: 'https://www.maison-exemple.fr/bons-d-achat/utiliser?code=NOEL2026ABCD',
      }),
      true,
    ),
  },
  'points-expiry': {
    schema: pointsExpiry,
    sample: sampleOf(
      sampleItem({
        id: 'PTS-2026-000321',
        kind: 'points',
        cardKind: null,
        label: 'Points fidélité',
        code: null,
        value: null,
        points: 12_500,
        url: 'https://fidelite.maison-exemple.fr/mes-points?lot=PTS-2026-000321',
      }),
      true,
    ),
  },
} as const;
