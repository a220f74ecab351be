/** Activities that tell the world where a sequence stands: the projection and hand-offs to people. */
import { saveSequence, type SequenceProjection } from '../store/sequence-repository';
import { createHandoff } from '../store/handoff-repository';
import { activityNow, type ActivityDeps } from './deps';
import { closeWaitingAttempts } from '../store/ledger-repository';

export type SequenceReport = Omit<SequenceProjection, 'completedAt'>;

export function createSequenceActivities({ db, logger, clock }: ActivityDeps) {
  return {
    /**
     * Closes attempts of a sequence still "deferred" (the sequence ended or paused, or the
     * provider gave up), so the ledger never shows a message waiting that will not leave.
     * 30 s, retried, idempotent.
     */
    async closeOpenAttempts(input: {
      sequenceId: string;
      step?: string;
      channel?: 'email' | 'sms';
      status: 'suppressed' | 'failed';
      reason: string;
      detail?: string;
    }): Promise<number> {
      const { sequenceId, step, channel, ...close } = input;
      return closeWaitingAttempts(
        db,
        { sequenceId, ...(step ? { step } : {}), ...(channel ? { channel } : {}) },
        { ...close, at: activityNow(clock) },
      );
    },

    /** Saves the sequence's projection (what the API shows). 30 s, retried; stale writes are ignored. */
    async recordSequence(report: SequenceReport): Promise<void> {
      await saveSequence(db, report);
    },

    /** Hands the subject to a person: an open item in the agents' queue. 30 s, retried, idempotent. */
    async handOff(input: {
      sequenceId: string;
      contactId: string;
      subjectIds: string[];
      reason: string;
      at: string;
    }): Promise<void> {
      await createHandoff(db, input);
      logger.info({ sequenceId: input.sequenceId, reason: input.reason }, 'handed off to a person');
    },
  };
}
