/** What activities are built from: passed in, so tests hand fakes of the same interfaces. */
import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { Channels } from '../channels/channel';
import type { RelanceConfig } from '../config/schema';
import type { HolidayCalendar } from '../domain/calendar';
import type { Db } from '../store/db';
import type { TemplateRegistry } from '../templates/registry';

export interface ActivityDeps {
  db: Db;
  config: RelanceConfig;
  templates: TemplateRegistry;
  channels: Channels;
  calendar: HolidayCalendar;
  logger: Logger;
  /** Builds a signed one-click unsubscribe URL for a contact and channel (marketing only). */
  unsubscribeUrl(contactId: string, channel: 'email' | 'sms'): string;
  /** Where providers post delivery statuses, when reachable from them. */
  statusCallbackUrl?: string;
}

/**
 * The activity's "now": when Temporal scheduled this attempt, in server time. It equals wall
 * time on a real server, follows the simulated clock on the time-skipping one, and stays right
 * when a retry runs hours after the workflow asked.
 */
export function activityNow(): string {
  try {
    return new Date(Context.current().info.currentAttemptScheduledTimestampMs).toISOString();
  } catch {
    return new Date().toISOString();
  }
}
