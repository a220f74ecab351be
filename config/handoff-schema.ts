/**
 * Hand-offs to a person: how soon each kind of task must be answered (service levels), in
 * business days on the contact's calendar (weekends and the public holidays of its country).
 */
import { z } from 'zod';
import { zLocalTime } from '../domain/validators';

const businessDays = (what: string, fallback: number) =>
  z
    .number()
    .int()
    .min(0)
    .max(60)
    .default(fallback)
    .describe(`Business days to answer ${what}, counted from the day after the task opens`);

export const slaSchema = z
  .strictObject({
    dunning: businessDays('a hand-off of the dunning schedule (after the formal notice)', 2),
    dispute: businessDays('a disputed invoice', 5),
    complaint: businessDays('a complaint', 5),
    reply: businessDays('a customer’s reply that needs a person', 2),
    endOfBusinessDay: zLocalTime
      .default('18:00')
      .describe(
        'When a business day ends, in the contact’s zone: a task is due at this time of its last day',
      ),
  })
  .describe('Service levels of hand-off tasks, per reason');

export const SLA_DEFAULTS = slaSchema.parse({});

export const handoffsSchema = z
  .strictObject({ sla: slaSchema.default(SLA_DEFAULTS) })
  .describe('Tasks for a person: service levels');

export type SlaConfig = z.infer<typeof slaSchema>;
