/**
 * Planning activities of the generic expiry workflow: the subject's schedule placed in time from
 * its date in the contact's zone (time-zone math runs here, recorded in history, so the workflow
 * holds no zone data), where the subject stands, and its lapse when the date passed.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { DateTime } from 'luxon';
import type { ActivityDeps } from '../../activities/deps';
import { activityNow } from '../../activities/deps';
import { ErrorCode } from '../../domain/errors';
import type { Purpose } from '../../domain/policy/types';
import { planSteps, toUtcIso } from '../../domain/schedule';
import type { PlannedStep } from '../../domain/sequence-types';
import { getContact } from '../../store/contact-repository';
import { scheduleForSequence } from '../../store/schedule-repository';
import { closedOutcome, expiringKind } from './expiring-kind';

/** Which subject a sequence runs for: its kind, id and the date it counts down to. */
export interface ExpiryRef {
  kind: string;
  itemId: string;
  expiresOn: string;
}

export interface ExpiryPlan {
  /** The schedule's steps, placed in time from `expiresOn` at their local hour in the contact's zone. */
  steps: PlannedStep[];
  purpose: Purpose;
  /** The first instant after `expiresOn` in the contact's zone: the subject has lapsed from then. */
  lapsesAt: string;
  /** The sequence's outcome when it has nothing to do (the subject ended or moved before it began). */
  closed: string | null;
}

export function createExpiryActivities(deps: ActivityDeps) {
  const { db, config, calendar } = deps;

  async function load(ref: ExpiryRef) {
    const kind = expiringKind(deps.kinds, ref.kind);
    const subject = await kind.subject(db, ref.itemId);
    if (!subject)
      throw ApplicationFailure.nonRetryable(`${ref.kind} ${ref.itemId} not found`, ErrorCode.NotFound);
    const contact = await getContact(db, subject.contactId);
    if (!contact)
      throw ApplicationFailure.nonRetryable(`Contact ${subject.contactId} not found`, ErrorCode.NotFound);
    return { kind, subject, contact };
  }

  return {
    /**
     * Places the subject's schedule in time, in the version pinned to the sequence at its first
     * planning (a schedule edited since applies to sequences started after). Start-to-close 30 s;
     * retried on store errors.
     */
    async planExpiry(ref: ExpiryRef & { sequenceId: string }): Promise<ExpiryPlan> {
      const { kind, subject, contact } = await load(ref);
      const pinned = await scheduleForSequence(db, config, {
        sequenceId: ref.sequenceId,
        scheduleId: subject.scheduleId,
      });
      if (!pinned)
        throw ApplicationFailure.nonRetryable(
          `Schedule ${subject.scheduleId} is not configured`,
          ErrorCode.InvalidConfig,
        );
      const { schedule } = pinned;
      const steps = planSteps(schedule, {
        dueDate: ref.expiresOn,
        timezone: contact.timezone,
        country: contact.country ?? config.policy.defaultCountry,
        calendar,
      });
      const dayAfter = DateTime.fromISO(ref.expiresOn, { zone: contact.timezone }).plus({ days: 1 });
      return {
        steps,
        purpose: schedule.purpose ?? kind.purpose,
        lapsesAt: toUtcIso(dayAfter.startOf('day')),
        closed: closedOutcome(subject, ref.expiresOn),
      };
    },

    /** The sequence's outcome if its subject ended or moved, null while it runs. 30 s, retried. */
    async expiryCondition(ref: ExpiryRef): Promise<string | null> {
      const { subject } = await load(ref);
      return closedOutcome(subject, ref.expiresOn);
    },

    /**
     * The date passed: the subject lapses (`expired`), unless an ending event or a renewal came
     * first, whose outcome is returned instead. 30 s, retried; idempotent.
     */
    async lapseItem(ref: ExpiryRef): Promise<string> {
      const { kind, subject } = await load(ref);
      const closed = closedOutcome(subject, ref.expiresOn);
      if (closed && closed !== 'expired') return closed;
      await kind.lapse(db, ref.itemId, ref.expiresOn, activityNow(deps.clock));
      return 'expired';
    },
  };
}
