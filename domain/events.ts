/**
 * The contract's event envelope and the data of each event type (shared/contract.md §1).
 * Structural checks only; references to stored objects are checked at ingestion.
 */
import { z } from 'zod';
import { formatPath, type FieldIssue } from './errors';
import { itemEventDataSchemas } from './item-events';
import { audienceIssues, campaignControlData, campaignSegment } from './campaign';
import { recurrenceSchema } from './recurrence';
import { jsonValueIssues } from './text-guard';
import {
  zAttributes,
  zCountry,
  zCurrency,
  zDate,
  zDecimal,
  zInstant,
  zLocale,
  zPhone,
  zTimeZone,
} from './validators';

const id = z.string().min(1, 'a non-empty id').max(200, 'an id of at most 200 characters');
const channel = z.enum(['email', 'sms'], { message: 'a channel: "email" or "sms"' });
const purpose = z.enum(['marketing', 'transactional'], {
  message: 'a purpose: "marketing" or "transactional"',
});

export const contactUpsertedData = z.strictObject({
  id,
  firstName: z.string().max(200).optional(),
  lastName: z.string().max(200).optional(),
  email: z.email({ message: 'an email address' }).optional(),
  phone: zPhone.optional(),
  locale: zLocale,
  timezone: zTimeZone,
  country: zCountry.optional(),
  /** B2B-only wording (late-payment interest, the fixed recovery indemnity) never reaches a consumer. */
  customerType: z
    .enum(['business', 'consumer'], { message: 'a customer type: "business" or "consumer"' })
    .optional(),
  tags: z.array(z.string().min(1).max(100)).max(100, 'at most 100 tags').optional(),
  attributes: zAttributes.optional(),
});

export const contactConsentData = z.strictObject({
  contactId: id,
  channel,
  purpose,
  granted: z.boolean({ message: 'true or false' }),
  source: z.string().min(1, 'where the consent came from (a form, a call, a letter)').max(500),
  legalBasis: z
    .enum(['consent', 'contract', 'legitimate_interest'], {
      message: 'a legal basis: "consent", "contract" or "legitimate_interest"',
    })
    .optional(),
});

export const contactDoNotContactData = z.strictObject({
  contactId: id,
  flagged: z.boolean({ message: 'true or false' }),
  reason: z
    .enum(['legal_hold', 'deceased', 'insolvency', 'customer_request', 'other'], {
      message: 'a reason: legal_hold, deceased, insolvency, customer_request or other',
    })
    .optional(),
  source: z.string().min(1).max(500),
});

/** Right to erasure: personal data leaves the store; consent proofs and amounts stay, anonymous. */
export const contactErasedData = z.strictObject({
  contactId: id,
  // Kept after the erasure, so no free text: a reference to the request, held elsewhere.
  reason: z
    .string()
    .regex(/^[A-Za-z0-9._:/-]{1,100}$/, {
      message:
        'a request reference: 1 to 100 letters, digits or . _ : / - (no spaces, names or addresses; it is kept after the erasure)',
    })
    .describe(
      'A reference to the erasure request (such as DSR-2026-0007), not free text: kept with the erasure record',
    )
    .optional(),
});

export const installmentSchema = z.strictObject({ dueDate: zDate, amount: zDecimal });

export const invoiceIssuedData = z.strictObject({
  id,
  contactId: id,
  number: z.string().max(100).optional(),
  amount: zDecimal,
  currency: zCurrency,
  issuedAt: zInstant.optional(),
  dueDate: zDate,
  paymentUrl: z.url({ protocol: /^https?$/, message: 'an http(s) URL' }).optional(),
  schedule: z.string().min(1).max(100).optional(),
});

export const invoicePaymentData = z.strictObject({
  invoiceId: id,
  amount: zDecimal,
  paidAt: zInstant.optional(),
});

export const invoicePaymentPlanData = z.strictObject({
  invoiceId: id,
  installments: z.array(installmentSchema).min(1, 'at least one installment').max(60),
});

export const invoiceDisputedData = z.strictObject({ invoiceId: id, reason: z.string().max(2000).optional() });

export const invoiceDisputeResolvedData = z.strictObject({
  invoiceId: id,
  outcome: z.enum(['customer_right', 'invoice_upheld'], {
    message: 'an outcome: "customer_right" or "invoice_upheld"',
  }),
});

export const invoicePromiseToPayData = z.strictObject({
  invoiceId: id,
  promisedDate: zDate,
  amount: zDecimal.optional(),
});

export const invoiceCancelledData = z.strictObject({
  invoiceId: id,
  reason: z.string().max(2000).optional(),
});

/** A marketing message to a list of contacts (each goes through consent, caps and windows). */
export const campaignScheduledData = z
  .strictObject({
    id,
    template: z.string().min(1).max(100),
    channels: z.array(channel).min(1, 'at least one channel').max(2),
    contactIds: z.array(id).min(1, 'at least one contact').max(10_000).optional(),
    /** Instead of contactIds: evaluated over the contacts known at each run (contract §5). */
    segment: campaignSegment.optional(),
    /** A recurring campaign; its `until` is checked against the clock at ingestion. */
    recurrence: recurrenceSchema.optional(),
    sendAt: zInstant.optional(),
    content: z.strictObject({
      title: z.string().min(1).max(200),
      body: z.string().min(1).max(2000),
      url: z.url({ protocol: /^https?$/, message: 'an http(s) URL' }),
      validUntil: zDate.optional(),
    }),
  })
  .superRefine((campaign, ctx) => {
    audienceIssues(campaign, ctx);
    // sendAt's own calendar date, as written with its offset: an offer that ends before the day it
    // is sent could never be sent (each message is also checked against its contact's own day).
    const { validUntil } = campaign.content;
    if (validUntil && campaign.sendAt && validUntil < campaign.sendAt.slice(0, 10))
      ctx.addIssue({
        code: 'custom',
        path: ['content', 'validUntil'],
        message: `expected a date on or after the sendAt date (${campaign.sendAt.slice(0, 10)}): the offer would end before it is sent`,
      });
  });

export const eventDataSchemas = {
  'contact.upserted': contactUpsertedData,
  'contact.consent': contactConsentData,
  'contact.do_not_contact': contactDoNotContactData,
  'contact.erased': contactErasedData,
  'invoice.issued': invoiceIssuedData,
  'invoice.payment': invoicePaymentData,
  'invoice.payment_plan': invoicePaymentPlanData,
  'invoice.disputed': invoiceDisputedData,
  'invoice.dispute_resolved': invoiceDisputeResolvedData,
  'invoice.promise_to_pay': invoicePromiseToPayData,
  'invoice.cancelled': invoiceCancelledData,
  'campaign.scheduled': campaignScheduledData,
  ...itemEventDataSchemas,
  'campaign.paused': campaignControlData,
  'campaign.resumed': campaignControlData,
  'campaign.cancelled': campaignControlData,
} as const;

export type EventType = keyof typeof eventDataSchemas;
export const eventTypes = Object.keys(eventDataSchemas) as EventType[];

export type EventOf<T extends EventType> = {
  id?: string;
  type: T;
  at?: string;
  data: z.infer<(typeof eventDataSchemas)[T]>;
};
export type RelanceEvent = { [T in EventType]: EventOf<T> }[EventType];

const envelope = z.strictObject({
  id: id.optional(),
  type: z.string({ message: 'an event type' }),
  at: zInstant.optional(),
  data: z.unknown().optional(), // checked below, with a message naming the type's data
});

/**
 * A safety net over the whole event, far above what any schema accepts (`data.attributes` takes
 * 10 levels and says so itself); it keeps a body nested thousands deep away from the schemas.
 */
const EVENT_LIMITS = { maxDepth: 32 };

function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventDataSchemas, type);
}

/** Parses one event or an array of them; returns every issue with its full path, or the events. */
export function parseEvents(
  body: unknown,
):
  | { ok: true; events: RelanceEvent[] }
  | { ok: false; issues: FieldIssue[]; valid: { index: number; event: RelanceEvent }[] } {
  const batch = Array.isArray(body);
  const items: unknown[] = batch ? body : [body];
  const issues: FieldIssue[] = [];
  const events: RelanceEvent[] = [];
  const valid: { index: number; event: RelanceEvent }[] = [];
  if (items.length === 0)
    return { ok: false, issues: [{ path: '(root)', message: 'expected at least one event' }], valid };
  items.forEach((item, index) => {
    const prefix: PropertyKey[] = batch ? [index] : [];
    // Text the store cannot hold and runaway nesting are refused before any schema walks the item.
    const unstorable = jsonValueIssues(item, prefix, EVENT_LIMITS);
    if (unstorable.length > 0) {
      issues.push(...unstorable);
      return;
    }
    const parsedEnvelope = envelope.safeParse(item, { reportInput: true });
    if (!parsedEnvelope.success) {
      for (const issue of parsedEnvelope.error.issues) {
        issues.push({ path: formatPath([...prefix, ...issue.path]), message: issueMessage(issue) });
      }
    }
    // The data is checked even when the envelope is wrong, so one answer names every offending field.
    const { type, data } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof type !== 'string') return;
    if (!isEventType(type)) {
      issues.push({
        path: formatPath([...prefix, 'type']),
        message: `unknown event type "${type}"; expected one of ${eventTypes.join(', ')}`,
      });
      return;
    }
    if (data === undefined || data === null || typeof data !== 'object' || Array.isArray(data)) {
      issues.push({
        path: formatPath([...prefix, 'data']),
        message: `expected an object with the data of ${type}`,
      });
      return;
    }
    const parsedData = eventDataSchemas[type].safeParse(data, { reportInput: true });
    if (!parsedData.success) {
      for (const issue of parsedData.error.issues) {
        issues.push({ path: formatPath([...prefix, 'data', ...issue.path]), message: issueMessage(issue) });
      }
      return;
    }
    if (!parsedEnvelope.success) return;
    const event = { ...parsedEnvelope.data, type, data: parsedData.data } as RelanceEvent;
    events.push(event);
    valid.push({ index, event });
  });
  return issues.length > 0 ? { ok: false, issues, valid } : { ok: true, events };
}

/**
 * Zod's messages, phrased as "expected …" and naming unknown keys. Tells a missing field from a
 * mistyped one only when the issue carries its input: parse with `{ reportInput: true }`.
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return `required: expected ${issue.expected}`;
  // zod's own wording ("Too big: expected number to be <=60", "Invalid email address") rephrased.
  const message = issue.message
    .replace(/^(Invalid input|Invalid option|Too big|Too small): /, '')
    .replace(/^Invalid string: must match pattern /, 'a string matching ')
    .replace(/^Invalid (.+)$/, 'a valid $1');
  return message.startsWith('expected') ? message : `expected ${message}`;
}
