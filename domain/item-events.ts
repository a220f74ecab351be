/**
 * The data of the events about expiring things (shared/contract.md §4): loyalty and payment
 * cards, vouchers, lots of loyalty points. Structural checks only; whether the card, voucher or
 * lot exists, and how many points it has left, is checked at ingestion against the store.
 */
import { z } from 'zod';
import { addCalendarDays } from './calendar';
import { amountProblem } from './money';
import { zCurrency, zDate, zDecimal } from './validators';

const id = z.string().min(1, 'a non-empty id').max(200, 'an id of at most 200 characters');
const url = z.url({ protocol: /^https?$/, message: 'an http(s) URL' }).max(2000);
const schedule = z.string().min(1).max(100);

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * One line of text the customer reads in an email subject or an SMS: no line breaks or other
 * control characters (they would break the SMS segment count and the subject line), not blank.
 */
const zLine = (what: string, max: number) =>
  z
    .string({ message: what })
    .max(max, `${what} of at most ${max} characters`)
    .refine((s) => s.trim().length > 0, { message: `${what}, not blank`, abort: true })
    .refine((s) => !CONTROL.test(s), { message: `${what} on one line, without control characters` });

const label = zLine('a label (what the customer calls it)', 200);
/** A voucher's code is typed at a till or in a form: visible characters, no spaces around. */
const code = zLine('a voucher code', 64).refine((s) => s === s.trim(), {
  message: 'a voucher code without spaces around it',
});
/** Points are whole units; the store holds them as a 32-bit integer. */
const points = z
  .number({ message: 'a whole number of points' })
  .int('a whole number of points')
  .positive('a number of points above zero')
  .max(1_000_000_000, 'at most 1,000,000,000 points');

/** The last day of the month `date` falls in (a payment card is good until the end of its month). */
export function lastDayOfMonth(date: string): string {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const nextMonth = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return addCalendarDays(nextMonth, -1);
}

export const cardRegisteredData = z
  .strictObject({
    id,
    contactId: id,
    kind: z.enum(['loyalty', 'payment'], { message: 'a card kind: "loyalty" or "payment"' }),
    label,
    expiresOn: zDate,
    renewUrl: url.optional(),
    schedule: schedule.optional(),
  })
  .superRefine((card, ctx) => {
    if (card.kind !== 'payment') return;
    const last = lastDayOfMonth(card.expiresOn);
    if (card.expiresOn !== last)
      ctx.addIssue({
        code: 'custom',
        path: ['expiresOn'],
        message: `expected the last day of the payment card's expiry month (${last})`,
      });
  });

export const cardRenewedData = z.strictObject({ cardId: id, expiresOn: zDate });
export const cardRemovedData = z.strictObject({ cardId: id });

export const voucherIssuedData = z
  .strictObject({
    id,
    contactId: id,
    code,
    label,
    value: zDecimal.optional(),
    currency: zCurrency.optional(),
    expiresOn: zDate,
    useUrl: url.optional(),
    schedule: schedule.optional(),
  })
  .superRefine((voucher, ctx) => {
    const { value, currency } = voucher;
    if (value !== undefined && currency === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['currency'],
        message: 'required with value: expected an ISO 4217 code',
      });
    if (currency !== undefined && value === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: 'required with currency: expected a decimal string',
      });
    // A value that is no decimal string at all was named by its own schema already.
    if (value === undefined || currency === undefined || !zDecimal.safeParse(value).success) return;
    const problem = amountProblem(value, currency);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: `expected ${problem}` });
    else if (/^[0.]+$/.test(value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'expected a value above zero' });
  });

export const voucherRedeemedData = z.strictObject({ voucherId: id });
export const voucherCancelledData = z.strictObject({ voucherId: id });

export const pointsCreditedData = z.strictObject({
  id,
  contactId: id,
  points,
  expiresOn: zDate,
  /** Not in the contract's table: what the programme calls its points ("Points Fidélité"). */
  label: label.optional(),
  schedule: schedule.optional(),
});

export const pointsUsedData = z.strictObject({ lotId: id, points });

export const itemEventDataSchemas = {
  'card.registered': cardRegisteredData,
  'card.renewed': cardRenewedData,
  'card.removed': cardRemovedData,
  'voucher.issued': voucherIssuedData,
  'voucher.redeemed': voucherRedeemedData,
  'voucher.cancelled': voucherCancelledData,
  'points.credited': pointsCreditedData,
  'points.used': pointsUsedData,
} as const;

export type ItemEventType = keyof typeof itemEventDataSchemas;

export function isItemEventType(type: string): type is ItemEventType {
  return Object.hasOwn(itemEventDataSchemas, type);
}
