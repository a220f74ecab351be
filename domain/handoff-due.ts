/**
 * When a hand-off task must be answered: the service level of its reason (config
 * `handoffs.sla`, in business days on the contact's own calendar, ending at the end of that
 * business day in its zone; see service-levels.ts). A do-not-contact flag is a dunning hand-off.
 */
import type { HolidayCalendar } from './calendar';
import { dueBy, HANDOFF_REASONS, type HandoffReason, type ServiceLevels } from './service-levels';

function reasonOf(code: string): HandoffReason {
  return (HANDOFF_REASONS as readonly string[]).includes(code) ? (code as HandoffReason) : 'dunning';
}

export function handoffDueBy(
  reasonCode: string,
  openedAt: string,
  contact: { timezone: string; country: string },
  calendar: HolidayCalendar,
  levels: ServiceLevels,
): string {
  return dueBy(openedAt, reasonOf(reasonCode), { ...contact, holidays: calendar }, levels);
}

/** Late: not resolved and past its due-by time. */
export function isOverdue(task: { status: string; dueBy: string | null }, now: string): boolean {
  return task.status !== 'resolved' && task.dueBy !== null && Date.parse(now) > Date.parse(task.dueBy);
}
