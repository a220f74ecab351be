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
import { scheduleForSequence } from '../../store/schedule-repository';
import { saveSequence } from '../../store/sequence-repository';
import { startReport } from '../../workflows/dunning-report';
import { activityNow, type ActivityDeps } from '../../activities/deps';

/** The dunning workflow's id (dunningWorkflowId of workflows/messages, which activities do not import). */
const sequenceIdOf = (invoiceId: string) => `invoice-dunning/${invoiceId}`;

export interface DunningPlan {
  invoiceId: string;
  contactId: string;
  scheduleId: string;
  timezone: string;
  steps: PlannedStep[];
  condition: 'open' | 'settled' | 'paused';
  closedReason: string | null;
  /** The first projection recorded with the plan (when asked for, and the invoice still open). */
  reported?: StartReport;
}

type StartReport = ReturnType<typeof startReport>;

/** A new run's first projection, recorded with its plan (invoiceDunningWorkflowV2): who, and when. */
export interface PlanReportRequest {
  contactId: string;
  sequenceId: string;
  startedAt: string;
  /** The workflow's time when it asked: the steps already due are counted at it. */
  at: string;
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
    // The version pinned at the sequence's first planning: a schedule edited since applies only
    // to sequences that start after the edit.
    const pinned = await scheduleForSequence(db, config, {
      sequenceId: sequenceIdOf(invoiceId),
      scheduleId: invoice.scheduleId,
    });
    if (!pinned)
      throw ApplicationFailure.nonRetryable(
        `Schedule ${invoice.scheduleId} is neither configured nor stored`,
        ErrorCode.InvalidConfig,
      );
    return { invoice, contact, schedule: pinned.schedule };
  }

  /** A step whose template states the notice's payment delay carries it, for the hand-off to wait. */
  function withPaymentDays(step: PlannedStep): PlannedStep {
    const template = step.template;
    if (!template || !deps.templates.ids().includes(template)) return step;
    if (!deps.templates.meta(template).statesPaymentDays) return step;
    return { ...step, paymentDays: config.company.latePayment.paymentDays };
  }

  return {
    /**
     * Places the invoice's schedule in time; asked to, also records the run's first projection
     * (one call where the first workflow type made two). Start-to-close 30 s; retried on store
     * errors; recording again is harmless (the projection keeps its latest write).
     */
    async planDunning({
      invoiceId,
      report,
    }: {
      invoiceId: string;
      report?: PlanReportRequest;
    }): Promise<DunningPlan> {
      const { invoice, contact, schedule } = await load(invoiceId);
      const steps = planSteps(schedule, {
        dueDate: invoice.dueDate,
        timezone: contact.timezone,
        country: contact.country ?? config.policy.defaultCountry,
        calendar,
      }).map(withPaymentDays);
      const state = subjectState(invoice);
      const plan: DunningPlan = {
        invoiceId,
        contactId: invoice.contactId,
        scheduleId: invoice.scheduleId,
        timezone: contact.timezone,
        steps,
        condition: state.condition,
        closedReason: invoice.closedReason,
      };
      // A settled invoice's run ends at once and reports that itself.
      if (!report || plan.condition === 'settled') return plan;
      const reported = startReport({
        input: { invoiceId, contactId: report.contactId },
        sequenceId: report.sequenceId,
        startedAt: report.startedAt,
        steps,
        nowMs: Date.parse(report.at),
      });
      // Not claimed when a later projection is already stored (a reset run of the same id).
      return (await saveSequence(db, { ...reported, updatedAt: report.at })) ? { ...plan, reported } : plan;
    },

    /**
     * Moves the remaining steps after a pause (next step now, spacing kept): the steps planned
     * from the sequence's pinned version, never a version saved since. 30 s, retried.
     */
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
      if (!rule)
        throw ApplicationFailure.nonRetryable(
          `Schedule ${invoice.scheduleId} has no installment rule`,
          ErrorCode.InvalidConfig,
        );
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
