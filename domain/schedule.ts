/**
 * Schedule math: when each step of a dunning schedule falls for one invoice, which steps a late
 * entry skips, and how the remaining steps move when escalation resumes after a pause.
 * Pure functions over luxon; instants are returned as UTC ISO strings (workflow-safe data).
 */
import { DateTime } from 'luxon';
import type { ScheduleConfig, StepConfig } from './config-shapes';
import {
  addBusinessDays,
  addCalendarDays,
  daysBetween,
  localInstant,
  type HolidayCalendar,
} from './calendar';

import type { PlannedStep } from './sequence-types';

export type { PlannedStep } from './sequence-types';

export interface PlanContext {
  dueDate: string;
  timezone: string;
  country: string;
  calendar: HolidayCalendar;
}

function stepDate(step: StepConfig, ctx: PlanContext): string {
  return 'days' in step.offset
    ? addCalendarDays(ctx.dueDate, step.offset.days)
    : addBusinessDays(ctx.dueDate, step.offset.businessDays, ctx.country, ctx.calendar);
}

export function planSteps(schedule: ScheduleConfig, ctx: PlanContext): PlannedStep[] {
  return schedule.steps.map((step) => {
    const localDate = stepDate(step, ctx);
    return {
      id: step.id,
      localDate,
      at: toUtcIso(localInstant(localDate, step.at ?? schedule.sendAt, ctx.timezone)),
      action: step.action,
      channels: step.channels,
      ...(step.template ? { template: step.template } : {}),
      escalation: step.escalation,
    };
  });
}

/**
 * Resuming after a pause (dispute upheld, promise broken, installment missed): the next step not
 * yet run goes now, and the later steps keep their spacing from it, so a customer who was left
 * alone for weeks gets the schedule's usual time to react instead of a burst.
 */
export function rebaseSteps(remaining: PlannedStep[], nowIso: string, timezone: string): PlannedStep[] {
  const [first, ...rest] = remaining;
  if (!first) return [];
  const now = DateTime.fromISO(nowIso, { zone: timezone });
  const today = now.toISODate() ?? first.localDate;
  const shift = Math.max(0, daysBetween(first.localDate, today));
  const firstAt =
    Date.parse(first.at) > now.toMillis() ? first : { ...first, at: toUtcIso(now), localDate: today };
  return [
    firstAt,
    ...rest.map((step) => {
      const localDate = addCalendarDays(step.localDate, shift);
      const local = DateTime.fromISO(step.at, { zone: timezone });
      return { ...step, localDate, at: toUtcIso(localInstant(localDate, local.toFormat('HH:mm'), timezone)) };
    }),
  ];
}

/** Installment reminders and the checks that follow each due date, in time order. */
export interface InstallmentPoint {
  kind: 'reminder' | 'check';
  index: number;
  at: string;
  dueDate: string;
  amountMinor: number;
  /** Sum of all installments due up to and including this one. */
  cumulativeMinor: number;
}

export function planInstallments(
  installments: { dueDate: string; amountMinor: number }[],
  rule: ScheduleConfig['installments'],
  sendAt: string,
  timezone: string,
): InstallmentPoint[] {
  let cumulative = 0;
  const points: InstallmentPoint[] = [];
  installments.forEach((installment, index) => {
    cumulative += installment.amountMinor;
    const base = {
      index,
      dueDate: installment.dueDate,
      amountMinor: installment.amountMinor,
      cumulativeMinor: cumulative,
    };
    const reminderDate = addCalendarDays(installment.dueDate, -rule.reminderDaysBefore);
    const checkDate = addCalendarDays(installment.dueDate, rule.graceDays + 1);
    points.push({ ...base, kind: 'reminder', at: toUtcIso(localInstant(reminderDate, sendAt, timezone)) });
    points.push({ ...base, kind: 'check', at: toUtcIso(localInstant(checkDate, '00:00', timezone)) });
  });
  return points.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export function toUtcIso(instant: DateTime): string {
  return instant.toUTC().toISO() ?? new Date(instant.toMillis()).toISOString();
}
