/**
 * A schedule laid out on a calendar, for the people who edit it: each step's planned local time
 * and instant from an anchor date, and when each channel's message would really leave once the
 * send windows and public holidays apply. Pure: the same math the sequences run
 * (planSteps, nextWindowOpening), with no contact history, so no frequency cap is applied.
 */
import { DateTime } from 'luxon';
import type { PolicyConfig, ScheduleConfig } from './config-shapes';
import type { HolidayCalendar } from './calendar';
import { nextWindowOpening } from './policy/windows';
import { planSteps, toUtcIso } from './schedule';
import type { ChannelName, PlannedStep } from './sequence-types';

export interface PreviewContext {
  /** The anchor date (due date, expiry date), contact-local YYYY-MM-DD. */
  anchor: string;
  timezone: string;
  country: string;
  calendar: HolidayCalendar;
}

/** When one channel's message of a step would leave. */
export interface PreviewSend {
  channel: ChannelName;
  /** Tried only when the channel before it in the step's fallback chain fails for good. */
  fallback: boolean;
  /** UTC instant of the first slot the channel's windows allow at or after the planned time. */
  leavesAt: string;
  /** The same instant, contact-local with its UTC offset. */
  leavesAtLocal: string;
  /** Why the planned time was closed (a holiday, a weekday, quiet hours); absent when it was open. */
  deferredBecause?: string;
}

export interface PreviewStep {
  id: string;
  offset: ScheduleConfig['steps'][number]['offset'];
  action: 'send' | 'handoff';
  /** Contact-local date the offset lands on. */
  localDate: string;
  /** Planned instant: contact-local with its UTC offset, and UTC. */
  plannedLocal: string;
  plannedAt: string;
  channels: PlannedStep['channels'];
  template?: string;
  escalation: number;
  /** A holiday the planned date falls on, named, whatever the windows say. */
  holiday?: string;
  sends: PreviewSend[];
}

function localIso(instant: DateTime, zone: string): string {
  return instant.setZone(zone).toISO({ suppressMilliseconds: true, suppressSeconds: true }) ?? '';
}

/** One entry per channel a step names, fallbacks after the channel they stand in for. */
function channelsInOrder(channels: PlannedStep['channels']): { channel: ChannelName; fallback: boolean }[] {
  return channels.flatMap((entry) =>
    Array.isArray(entry)
      ? entry.map((channel, i) => ({ channel, fallback: i > 0 }))
      : [{ channel: entry, fallback: false }],
  );
}

function sendsOf(step: PlannedStep, windows: PolicyConfig['windows'], ctx: PreviewContext): PreviewSend[] {
  if (step.action !== 'send') return [];
  const planned = DateTime.fromISO(step.at, { zone: ctx.timezone });
  return channelsInOrder(step.channels).map(({ channel, fallback }) => {
    const answer = nextWindowOpening(planned, windows[channel], ctx.timezone, ctx.country, ctx.calendar);
    return {
      channel,
      fallback,
      leavesAt: toUtcIso(answer.opensAt),
      leavesAtLocal: localIso(answer.opensAt, ctx.timezone),
      ...(answer.closedBecause ? { deferredBecause: answer.closedBecause } : {}),
    };
  });
}

export function previewSchedule(
  schedule: ScheduleConfig,
  windows: PolicyConfig['windows'],
  ctx: PreviewContext,
): PreviewStep[] {
  const planned = planSteps(schedule, {
    dueDate: ctx.anchor,
    timezone: ctx.timezone,
    country: ctx.country,
    calendar: ctx.calendar,
  });
  return planned.map((step, index) => {
    const holiday = ctx.calendar.holidayName(ctx.country, step.localDate);
    return {
      id: step.id,
      offset: schedule.steps[index]?.offset ?? { days: 0 },
      action: step.action,
      localDate: step.localDate,
      plannedLocal: localIso(DateTime.fromISO(step.at), ctx.timezone),
      plannedAt: step.at,
      channels: step.channels,
      ...(step.template ? { template: step.template } : {}),
      escalation: step.escalation,
      ...(holiday ? { holiday } : {}),
      sends: sendsOf(step, windows, ctx),
    };
  });
}
