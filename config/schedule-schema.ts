/**
 * The schedule part of the configuration: steps, offsets (calendar or business days) and channel
 * chains. Kept apart from the rest of config/schema.ts, which re-exports it.
 */
import { z } from 'zod';
import { zLocalTime } from '../domain/validators';

export const channel = z.enum(['email', 'sms']).describe('A delivery channel');
export const weekday = z
  .enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])
  .describe('A weekday, in the contact’s time zone');

const offset = z
  .union(
    [
      z.strictObject({
        days: z.number().int().min(-365).max(365).describe('Calendar days from the anchor date'),
      }),
      z.strictObject({
        businessDays: z
          .number()
          .int()
          .min(-260)
          .max(260)
          .describe(
            'Business days from the anchor date, skipping weekends and the contact’s public holidays',
          ),
      }),
    ],
    { error: 'expected { "days": n } (calendar days) or { "businessDays": n }, n between -365 and 365' },
  )
  .describe('When the step falls, relative to the anchor date (an invoice’s due date, an item’s expiresOn)');

const stepChannels = z
  .array(
    z.union([
      channel,
      z
        .array(channel)
        .min(2)
        .describe('Channels in order of preference: the next is tried only when the previous fails for good'),
    ]),
  )
  .describe('Channels the step sends on, each one message');

export const stepSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lower-case step id such as "overdue-1"')
      .describe('Step id, shown in the ledger and the simulator'),
    offset,
    at: zLocalTime.optional().describe('Local send time; defaults to the schedule’s sendAt'),
    action: z
      .enum(['send', 'handoff'])
      .default('send')
      .describe('send: messages on the channels; handoff: hand the invoice to a person and stop'),
    channels: stepChannels.default([]),
    template: z.string().optional().describe('Template id under templates/, required for a send step'),
    escalation: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(0)
      .describe(
        'Escalation level: 0 friendly, 1 reminder, 2 firm, 3 formal notice; marketing stops from level 3',
      ),
  })
  .superRefine((step, ctx) => {
    if (step.action === 'send' && step.channels.length === 0)
      ctx.addIssue({ code: 'custom', path: ['channels'], message: 'at least one channel on a send step' });
    if (step.action === 'send' && !step.template)
      ctx.addIssue({ code: 'custom', path: ['template'], message: 'a template id on a send step' });
    if (step.action === 'handoff' && step.channels.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['channels'],
        message: 'no channels on a handoff step (it sends nothing)',
      });
  });

/** The installment rule of an invoice schedule (payment plans replace escalation by reminders). */
const installmentsSchema = z
  .strictObject({
    reminderDaysBefore: z
      .number()
      .int()
      .min(0)
      .max(30)
      .describe('Days before an installment’s due date to remind'),
    graceDays: z
      .number()
      .int()
      .min(0)
      .max(30)
      .describe('Days after an installment’s due date before it counts as missed'),
    template: z.string().describe('Template of installment reminders'),
    channels: stepChannels.describe('Channels of installment reminders'),
  })
  .describe('Reminders that replace escalation while a payment plan is kept (invoice schedules)');

export const scheduleSchema = z
  .strictObject({
    description: z.string().describe('What the schedule is for, for the people who pick it'),
    kind: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'a lower-case sequence kind such as "invoice" or "voucher"')
      .optional()
      .describe(
        'The sequence kind the schedule is for (invoice, card, voucher, points, …); absent: invoice. An event names only a schedule of its own kind',
      ),
    purpose: z
      .enum(['transactional', 'marketing'])
      .optional()
      .describe(
        'Overrides the kind’s purpose: marketing needs marketing consent and counts against the marketing caps',
      ),
    sendAt: zLocalTime.default('09:30').describe('Default local time of each step'),
    steps: z.array(stepSchema).min(1).describe('Steps in chronological order'),
    installments: installmentsSchema.optional(),
  })
  .superRefine((schedule, ctx) => {
    if ((schedule.kind ?? 'invoice') === 'invoice' && !schedule.installments)
      ctx.addIssue({
        code: 'custom',
        path: ['installments'],
        message: 'an installment rule on an invoice schedule (payment plans need it)',
      });
    if ((schedule.kind ?? 'invoice') !== 'invoice' && schedule.steps.some((s) => s.action === 'handoff'))
      ctx.addIssue({
        code: 'custom',
        path: ['steps'],
        message: 'send steps only (a hand-off step belongs to invoice schedules)',
      });
    const seen = new Set<string>();
    schedule.steps.forEach((step, index) => {
      if (seen.has(step.id))
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'id'],
          message: `a step id used once ("${step.id}" is used twice)`,
        });
      seen.add(step.id);
    });
    const handoffIndex = schedule.steps.findIndex((s) => s.action === 'handoff');
    if (handoffIndex >= 0 && handoffIndex !== schedule.steps.length - 1)
      ctx.addIssue({
        code: 'custom',
        path: ['steps', handoffIndex],
        message: 'the handoff step as the last step (nothing runs after a handoff)',
      });
  });
