/**
 * The configuration a finance or marketing team edits, as a zod schema. Every key says what it is
 * for (`.describe`); `load-config.ts` turns YAML into this type once, at start.
 */
import { z } from 'zod';
import { zCountry, zLocale, zLocalTime, zPhone } from '../domain/validators';
import { latePaymentSchema } from './late-payment-schema';
import { channel, scheduleSchema, stepSchema, weekday } from './schedule-schema';

export { scheduleSchema, stepSchema };

export const capSchema = z
  .strictObject({
    purpose: z.enum(['transactional', 'marketing']).describe('Which messages the cap counts'),
    channel: channel.describe('Which channel the cap counts'),
    max: z.number().int().min(1).max(1000).describe('Messages allowed in the window'),
    per: z
      .union([z.literal('local_day'), z.strictObject({ rollingDays: z.number().int().min(1).max(365) })])
      .describe('local_day: a calendar day in the contact’s zone; or a rolling window of N days'),
  })
  .describe('A frequency cap, per contact');

export const windowRangeSchema = z
  .strictObject({
    days: z.array(weekday).min(1, 'at least one weekday').describe('Weekdays the channel may send on'),
    from: zLocalTime.describe('Opening time, contact-local'),
    to: zLocalTime.describe('Closing time, contact-local (exclusive)'),
    skipPublicHolidays: z.boolean().describe('Never send on a public holiday of the contact’s country'),
  })
  .refine((w) => w.from < w.to, { message: 'an opening time before the closing time', path: ['to'] })
  .refine((w) => new Set(w.days).size === w.days.length, { message: 'each weekday once', path: ['days'] })
  .describe('A range of hours on some weekdays, in the contact’s zone');

export const windowSchema = z
  .array(windowRangeSchema)
  .min(1, 'at least one send window: a channel with none could never deliver')
  .superRefine((ranges, ctx) => {
    ranges.forEach((a, i) =>
      ranges.slice(0, i).forEach((b, j) => {
        const sharedDay = a.days.find((d) => b.days.includes(d));
        if (sharedDay && a.from < b.to && b.from < a.to)
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: `a window that does not overlap window ${j} (both are open on ${sharedDay})`,
          });
        if (a.skipPublicHolidays !== b.skipPublicHolidays)
          ctx.addIssue({
            code: 'custom',
            path: [i, 'skipPublicHolidays'],
            message: 'the same holiday rule in every window of a channel',
          });
      }),
    );
  })
  .describe('When a channel may deliver: one or more ranges, contact-local');

export const policySchema = z
  .strictObject({
    caps: z.array(capSchema).describe('Frequency caps; every applicable cap must hold'),
    windows: z.strictObject({ email: windowSchema, sms: windowSchema }).describe('Send windows per channel'),
    promiseToPayGraceDays: z
      .number()
      .int()
      .min(0)
      .max(60)
      .describe('Days after a promised payment date before escalation resumes if unpaid'),
    promiseToPayMaxHorizonDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(90)
      .describe(
        'How far ahead a promised payment date may be, in days from the contact-local date of the promise; further is refused (400)',
      ),
    marketingStopsAtEscalation: z
      .number()
      .int()
      .min(0)
      .max(10)
      .describe('No marketing to a contact with an open invoice at this escalation level or beyond'),
    defaultCountry: zCountry.describe('Country for public holidays when a contact has none'),
    marketingOnLegitimateInterest: z
      .boolean()
      .describe(
        'Marketing may rest on a consent record with legalBasis "legitimate_interest" (the soft opt-in for existing customers and similar products, where the law allows it); otherwise marketing needs legalBasis "consent"',
      ),
  })
  .superRefine((policy, ctx) => {
    policy.caps.forEach((cap, index) => {
      const twin = policy.caps.findIndex(
        (other, j) =>
          j < index &&
          other.purpose === cap.purpose &&
          other.channel === cap.channel &&
          JSON.stringify(other.per) === JSON.stringify(cap.per),
      );
      if (twin >= 0)
        ctx.addIssue({
          code: 'custom',
          path: ['caps', index],
          message: `one cap per purpose, channel and window (caps[${twin}] already counts the same)`,
        });
    });
  });

export const companySchema = z
  .strictObject({
    name: z.string().min(1).describe('Company name, as customers know it'),
    email: z.strictObject({
      from: z.email().describe('Sender address of emails'),
      fromName: z.string().describe('Sender name of emails'),
      replyTo: z.email().optional().describe('Reply-To of emails'),
    }),
    sms: z.strictObject({
      from: z
        .union([
          zPhone,
          z.string().regex(/^[A-Za-z0-9 ]{1,11}$/, 'an alphanumeric sender id of at most 11 characters'),
        ])
        .describe('Sender of SMS: an E.164 number or an alphanumeric sender id'),
      segmentsPerSecond: z
        .number()
        .positive()
        .max(1000)
        .optional()
        .describe(
          'Send rate of the sender, in segments per second (default by sender kind: long code 1, toll-free 3, short code 100)',
        ),
      helpReply: z
        .record(zLocale, z.string().min(1).max(320))
        .describe('Answer to an inbound HELP / AIDE SMS, per locale'),
    }),
    collections: z
      .strictObject({
        name: z.string().min(1).describe('The named person customers may call or write to'),
        email: z.email(),
        phone: zPhone,
        hours: z
          .record(zLocale, z.string())
          .describe('Opening hours of the team, per locale, as written to customers'),
      })
      .describe('The human contact line of every message'),
    latePayment: latePaymentSchema,
    defaultLocale: zLocale.describe('Locale of a contact whose locale has no templates'),
    publicUrl: z.url().describe('Base URL of the API as customers reach it (unsubscribe links, webhooks)'),
    paymentUrlTemplate: z
      .string()
      .regex(/\{invoiceId\}|\{invoiceNumber\}/, 'a URL containing {invoiceId} or {invoiceNumber}')
      .describe('Payment link of an invoice that came without paymentUrl'),
  })
  .describe('Who sends, and who customers can talk to');

export const configSchema = z
  .strictObject({
    company: companySchema,
    schedules: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/), scheduleSchema)
      .describe('Dunning schedules by id'),
    defaultSchedule: z.string().describe('Schedule of an invoice that names none'),
    policy: policySchema,
    locales: z.array(zLocale).min(1).describe('Locales every template must exist in'),
    events: z
      .strictObject({
        maxFutureMinutes: z
          .number()
          .int()
          .min(0)
          .max(1440)
          .default(5)
          .describe(
            'How far ahead of Relance’s clock an event’s `at` may be (clock skew between systems); further is refused (400)',
          ),
      })
      .default({ maxFutureMinutes: 5 })
      .describe('Checks on incoming events'),
    messages: z
      .strictObject({
        smsMaxSegments: z
          .number()
          .int()
          .min(1)
          .max(10)
          .describe('Longest SMS a template may render, in segments'),
      })
      .describe('Limits on rendered messages, checked at start'),
  })
  .superRefine((config, ctx) => {
    if (!Object.hasOwn(config.schedules, config.defaultSchedule))
      ctx.addIssue({
        code: 'custom',
        path: ['defaultSchedule'],
        message: `a schedule id defined under schedules (${Object.keys(config.schedules).join(', ')})`,
      });
  });

export type RelanceConfig = z.infer<typeof configSchema>;
// The shapes domain rules read are declared in domain/ (config/domain-shapes.ts checks the match).
export type {
  CapConfig,
  PolicyConfig,
  ScheduleConfig,
  StepConfig,
  WindowConfig,
  WindowRange,
  Weekday,
  ChannelName as Channel,
} from '../domain/config-shapes';
