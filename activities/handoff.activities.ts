/**
 * Activities of hand-off tasks, whatever their subject: opening one (with its due-by time) and
 * recording what agents and the sequence did to it. What an action means for the subject itself
 * belongs to the subject's kind (kinds/<kind>/), registered with the kind's activities.
 */
import { taskStateOf, type HandoffTaskState } from '../domain/handoff-actions';
import { handoffDueBy } from '../domain/handoff-due';
import { getContact } from '../store/contact-repository';
import {
  changeHandoffTask,
  openHandoffTask,
  type Handoff,
  type TaskChange,
} from '../store/handoff-repository';
import type { ActivityDeps } from './deps';

/** What opens a task: the hand-off as the store records it, but its due-by time (worked out here). */
export type OpenTaskInput = Pick<
  Handoff,
  'sequenceId' | 'contactId' | 'subjectKind' | 'subjectIds' | 'reasonCode' | 'reason' | 'at'
>;

export function createHandoffActivities({ db, config, calendar, logger }: ActivityDeps) {
  return {
    /**
     * Opens the sequence's hand-off task, or answers the one still open. 30 s, retried, idempotent.
     */
    async openHandoffTask(input: OpenTaskInput): Promise<HandoffTaskState> {
      const contact = await getContact(db, input.contactId);
      const timezone = contact?.timezone ?? 'UTC';
      const country = contact?.country ?? config.policy.defaultCountry;
      const dueBy = handoffDueBy(
        input.reasonCode,
        input.at,
        { timezone, country },
        calendar,
        config.handoffs.sla,
      );
      const task = await openHandoffTask(db, { ...input, dueBy });
      logger.info(
        { sequenceId: input.sequenceId, reason: input.reason, taskId: task.id },
        'hand-off task open',
      );
      return taskStateOf(task, timezone, config.messages.smsMaxSegments);
    },

    /** Records a change of a task and its timeline event, once per key. 30 s, retried, idempotent. */
    async recordHandoffChange(input: {
      taskId: number;
      key: string;
      change: Omit<TaskChange, 'at'>;
      event: { type: string; by: string; data: Record<string, unknown> };
      at: string;
    }): Promise<void> {
      await changeHandoffTask(
        db,
        input.taskId,
        { ...input.change, at: input.at },
        { ...input.event, at: input.at, key: input.key },
      );
    },
  };
}
