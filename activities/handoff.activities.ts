/**
 * Activities of hand-off tasks: opening one (with its due-by time), recording what agents and
 * the sequence did to it, and the store side of an agent's promise or plan (the same rows the
 * contract's events write, so the workflow's promise and plan modes read them as usual).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { HandoffAction, HandoffTaskState } from '../domain/handoff-actions';
import { handoffDueBy } from '../domain/handoff-due';
import { ErrorCode } from '../domain/errors';
import { toMinor } from '../domain/money';
import { getContact } from '../store/contact-repository';
import { changeHandoffTask, openHandoffTask, type TaskChange } from '../store/handoff-repository';
import { getInvoice, setDispute, setPlan, setPromise } from '../store/invoice-repository';
import type { ActivityDeps } from './deps';

export interface OpenTaskInput {
  sequenceId: string;
  contactId: string;
  subjectKind: string;
  subjectIds: string[];
  reasonCode: string;
  reason: string;
  at: string;
}

export function createHandoffActivities({ db, config, calendar, logger }: ActivityDeps) {
  return {
    /**
     * Opens the sequence's hand-off task, or answers the one still open. 30 s, retried, idempotent.
     */
    async openHandoffTask(input: OpenTaskInput): Promise<HandoffTaskState> {
      const contact = await getContact(db, input.contactId);
      const timezone = contact?.timezone ?? 'UTC';
      const country = contact?.country ?? config.policy.defaultCountry;
      const dueBy = handoffDueBy(input.reasonCode, input.at, { timezone, country }, calendar);
      const task = await openHandoffTask(db, { ...input, dueBy });
      logger.info(
        { sequenceId: input.sequenceId, reason: input.reason, taskId: task.id },
        'hand-off task open',
      );
      return {
        id: task.id,
        status: task.status,
        owner: task.owner,
        reasonCode: task.reasonCode,
        reason: task.reason,
        dueBy: task.dueBy,
        resolution: null,
        timezone,
        smsMaxSegments: config.messages.smsMaxSegments,
      };
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

    /**
     * An agent's answer to a dispute, recorded as `invoice.dispute_resolved` records it (the send
     * path's subject check reads it). 30 s, retried, idempotent.
     */
    async settleDispute(input: {
      invoiceId: string;
      outcome: 'invoice_upheld' | 'customer_right';
      at: string;
    }): Promise<void> {
      await setDispute(db, input.invoiceId, input.outcome, null, input.at);
    },

    /** An agent's promise or plan, written as the contract's events write them. 30 s, retried. */
    async recordAgentCommitment(input: {
      invoiceId: string;
      action: Extract<HandoffAction, { type: 'promise_to_pay' | 'payment_plan' }>;
      at: string;
    }): Promise<void> {
      const invoice = await getInvoice(db, input.invoiceId);
      if (!invoice)
        throw ApplicationFailure.nonRetryable(`Invoice ${input.invoiceId} not found`, ErrorCode.NotFound);
      const { action } = input;
      if (action.type === 'promise_to_pay') {
        const minor = action.amount === undefined ? null : toMinor(action.amount, invoice.currency);
        await setPromise(db, invoice.id, action.promisedDate, minor, input.at);
        return;
      }
      const plan = action.installments.map((i) => ({
        dueDate: i.dueDate,
        amountMinor: toMinor(i.amount, invoice.currency),
      }));
      await setPlan(db, invoice.id, plan, input.at);
    },
  };
}
