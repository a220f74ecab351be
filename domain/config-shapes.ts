/**
 * The shapes of the settings domain rules read (policy: caps, send windows; schedules: steps,
 * offsets, installments), declared here so domain/ depends on no configuration code. config/'s
 * zod schemas produce exactly these types (checked at compile time in config/domain-shapes.ts).
 */

export type ChannelName = 'email' | 'sms';
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** A frequency cap, per contact. */
export interface CapConfig {
  purpose: 'transactional' | 'marketing';
  channel: ChannelName;
  max: number;
  /** local_day: a calendar day in the contact's zone; or a rolling window of N days. */
  per: 'local_day' | { rollingDays: number };
}

/** A range of hours on some weekdays, contact-local (`to` exclusive). */
export interface WindowRange {
  days: Weekday[];
  from: string;
  to: string;
  skipPublicHolidays: boolean;
}

/** When a channel may deliver: one or more ranges. */
export type WindowConfig = WindowRange[];

export interface PolicyConfig {
  caps: CapConfig[];
  windows: { email: WindowConfig; sms: WindowConfig };
  promiseToPayGraceDays: number;
  promiseToPayMaxHorizonDays: number;
  marketingStopsAtEscalation: number;
  defaultCountry: string;
  marketingOnLegitimateInterest: boolean;
}

/** When a step falls, relative to the anchor date: calendar days or business days. */
export type StepOffset = { days: number } | { businessDays: number };

/** Channels a step sends on; a nested list is a fallback chain, in order of preference. */
export type StepChannels = (ChannelName | ChannelName[])[];

export interface StepConfig {
  id: string;
  offset: StepOffset;
  /** Local send time; the schedule's sendAt when absent. */
  at?: string | undefined;
  action: 'send' | 'handoff';
  channels: StepChannels;
  template?: string | undefined;
  escalation: number;
}

/** Reminders that replace escalation while a payment plan is kept. */
export interface InstallmentRule {
  reminderDaysBefore: number;
  graceDays: number;
  template: string;
  channels: StepChannels;
}

export interface ScheduleConfig {
  description: string;
  sendAt: string;
  steps: StepConfig[];
  installments: InstallmentRule;
}
