/** What activities are built from: passed in, so tests hand fakes of the same interfaces. */
import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { Channels } from '../channels/channel';
import type { RelanceConfig } from '../config/schema';
import type { HolidayCalendar } from '../domain/calendar';
import type { KindRegistry } from '../kinds/kind';
import type { Db } from '../store/db';
import type { TemplateRegistry } from '../templates/registry';

export interface ActivityDeps {
  db: Db;
  config: RelanceConfig;
  templates: TemplateRegistry;
  channels: Channels;
  calendar: HolidayCalendar;
  logger: Logger;
  /** The sequence kinds messages can be about, by name (kinds/registry.ts; tests pass their own). */
  kinds: KindRegistry;
  /** Builds a signed one-click unsubscribe URL for a contact and channel (marketing only). */
  unsubscribeUrl(contactId: string, channel: 'email' | 'sms'): string;
  /** Where providers post delivery statuses, when reachable from them. */
  statusCallbackUrl?: string;
  /** Which clock "now" is (see activityNow). */
  clock: ActivityClock;
}

/**
 * The activity's "now". `wall`: the later of the wall clock and Temporal's scheduling time (a
 * retry that runs hours late decides on the real hour, so quiet hours hold). `temporal`: the
 * server's clock alone, for a time-skipping server whose simulated days run ahead of the wall.
 */
export function activityNow(clock: ActivityClock = 'wall', workflowTime?: string): string {
  let scheduled: number | undefined;
  try {
    const { info } = Context.current();
    // A local activity is scheduled by the worker on its own clock: the workflow's time, passed in
    // its input, is the server's (a time-skipping server's simulated hour).
    scheduled =
      info.isLocal && workflowTime !== undefined
        ? Date.parse(workflowTime)
        : info.currentAttemptScheduledTimestampMs;
  } catch {
    scheduled = undefined; // called outside an activity (tests, scripts)
  }
  const ms = clock === 'temporal' ? (scheduled ?? Date.now()) : Math.max(scheduled ?? 0, Date.now());
  return new Date(ms).toISOString();
}

export type ActivityClock = 'wall' | 'temporal';
