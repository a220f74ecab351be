/**
 * The invoice kind's activities (planning of the dunning workflow): the schedule placed in time, resumptions,
 * installments, and the invoice's current condition. Time-zone math runs here (recorded in
 * history) so the workflow stays free of time-zone data.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { addCalendarDays, localInstant } from '../../domain/calendar';
import { ErrorCode } from '../../domain/errors';
import {
  planInstallments,
  planSteps,
  rebaseSteps,
  toUtcIso,
  type InstallmentPoint,
} from '../../domain/schedule';
import type { PlannedStep } from '../../domain/sequence-types';
import { getContact } from '../../store/contact-repository';
import {
  getInvoice,
  setPlanStatus,
  setPromiseStatus,
  endPauses,
  subjectState,
  type Invoice,
} from '../../store/invoice-repository';
import { activityNow, type ActivityDeps } from '../../activities/deps';

export interface DunningPlan {
  invoiceId: string;
  contactId: string;
  scheduleId: string;
  timezone: string;
  steps: PlannedStep[];
  condition: 'open' | 'settled' | 'paused';
  closedReason: string | null;
}

export interface InstallmentPlan {
  /** Paid before the plan: installments are kept by the payments made since. */
  paidBaseMinor: number;
  template: string;
  channels: PlannedStep['channels'];
  count: number;
  points: InstallmentPoint[];
}

export interface PromiseTerms {
  until: string;
  paidMinorAtPromise: number;
  promisedMinor: number | null;
}

export interface InvoiceSnapshot {
  status: Invoice['status'];
  closedReason: string | null;
  dueMinor: number;
  paidMinor: number;
  disputeStatus: Invoice['disputeStatus'];
  planStatus: Invoice['planStatus'];
  promiseStatus: Invoice['promiseStatus'];
}

export function createInvoiceActivities(deps: ActivityDeps) {
  const { db, config, calendar } = deps;

  async function load(invoiceId: string) {
    const invoice = await getInvoice(db, invoiceId);
    if (!invoice) throw ApplicationFailure.nonRetryable(`Invoice ${invoiceId} not found`, ErrorCode.NotFound);
    const contact = await getContact(db, invoice.contactId);
    if (!contact)
      throw ApplicationFailure.nonRetryable(`Contact ${invoice.contactId} not found`, ErrorCode.NotFound);
    const schedule = config.schedules[invoice.scheduleId];
    if (!schedule)
      throw ApplicationFailure.nonRetryable(
        `Schedule ${invoice.scheduleId} is not configured`,
        ErrorCode.InvalidConfig,
      );
    return { invoice, contact, schedule };
  }

  /** A step whose template states the notice's payment delay carries it, for the hand-off to wait. */
  function withPaymentDays(step: PlannedStep): PlannedStep {
    const template = step.template;
    if (!template || !deps.templates.ids().includes(template)) return step;
    if (!deps.templates.meta(template).statesPaymentDays) return step;
    return { ...step, paymentDays: config.company.latePayment.paymentDays };
  }

  return {
    /** Places the invoice's schedule in time. Start-to-close 30 s; retried on store errors. */
    async planDunning({ invoiceId }: { invoiceId: string }): Promise<DunningPlan> {
      const { invoice, contact, schedule } = await load(invoiceId);
      const steps = planSteps(schedule, {
        dueDate: invoice.dueDate,
        timezone: contact.timezone,
        country: contact.country ?? config.policy.defaultCountry,
        calendar,
      }).map(withPaymentDays);
      const state = subjectState(invoice);
      return {
        invoiceId,
        contactId: invoice.contactId,
        scheduleId: invoice.scheduleId,
        timezone: contact.timezone,
        steps,
        condition: state.condition,
        closedReason: invoice.closedReason,
      };
    },

    /** Moves the remaining steps after a pause (next step now, spacing kept). 30 s, retried. */
    async rebaseSchedule({
      invoiceId,
      remaining,
    }: {
      invoiceId: string;
      remaining: PlannedStep[];
    }): Promise<PlannedStep[]> {
      const { contact } = await load(invoiceId);
      return rebaseSteps(remaining, activityNow(deps.clock), contact.timezone);
    },

    /** The invoice's payments, plan, dispute and promise as stored now. 30 s, retried. */
    async invoiceSnapshot({ invoiceId }: { invoiceId: string }): Promise<InvoiceSnapshot> {
      const { invoice } = await load(invoiceId);
      return {
        status: invoice.status,
        closedReason: invoice.closedReason,
        dueMinor: invoice.dueMinor,
        paidMinor: invoice.paidMinor,
        disputeStatus: invoice.disputeStatus,
        planStatus: invoice.planStatus,
        promiseStatus: invoice.promiseStatus,
      };
    },

    /** The stored payment plan's reminders (those already past dropped) and checks. 30 s, retried. */
    async planInstallmentPoints({ invoiceId }: { invoiceId: string }): Promise<InstallmentPlan> {
      const { invoice, contact, schedule } = await load(invoiceId);
      const rule = schedule.installments;
      const plan = invoice.plan ?? [];
      const points = planInstallments(plan, rule, schedule.sendAt, contact.timezone);
      const now = Date.parse(activityNow(deps.clock));
      return {
        paidBaseMinor: invoice.planPaidBaseMinor,
        template: rule.template,
        channels: rule.channels,
        count: plan.length,
        points: points.filter((p) => p.kind === 'check' || Date.parse(p.at) > now),
      };
    },

    /**
     * When a promise to pay lapses (end of the promised date plus grace days, contact-local), and
     * what was paid when it was recorded (stored at ingestion, so a payment in the same batch or
     * before the workflow reads this counts towards the promise). 30 s, retried.
     */
    async promiseTerms({ invoiceId }: { invoiceId: string }): Promise<PromiseTerms | null> {
      const { invoice, contact } = await load(invoiceId);
      if (!invoice.promiseDate) return null;
      const day = addCalendarDays(invoice.promiseDate, config.policy.promiseToPayGraceDays + 1);
      return {
        until: toUtcIso(localInstant(day, '00:00', contact.timezone)),
        paidMinorAtPromise: invoice.promisePaidBaseMinor ?? invoice.paidMinor,
        promisedMinor: invoice.promiseAmountMinor,
      };
    },

    /**
     * Records that a plan was broken or completed, or a promise kept or broken; `endPauses` closes
     * whatever pause is still open because escalation resumes. 30 s, retried; idempotent.
     */
    async markCondition(input: {
      invoiceId: string;
      plan?: 'broken' | 'completed';
      promise?: 'kept' | 'broken';
      endPauses?: boolean;
    }): Promise<void> {
      const at = activityNow(deps.clock);
      if (input.plan) await setPlanStatus(db, input.invoiceId, input.plan, at);
      if (input.promise) await setPromiseStatus(db, input.invoiceId, input.promise, at);
      if (input.endPauses) await endPauses(db, input.invoiceId, at);
    },
  };
}
