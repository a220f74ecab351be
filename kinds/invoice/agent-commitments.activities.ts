/**
 * The invoice side of an agent's actions: a dispute answered, a promise or a plan agreed, written
 * as the contract's events write them, so the dunning workflow's promise and plan modes and the
 * send path's subject check read them as usual.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from '../../activities/deps';
import type { HandoffAction } from '../../domain/handoff-actions';
import { ErrorCode } from '../../domain/errors';
import { toMinor } from '../../domain/money';
import { getInvoice, setDispute, setPlan, setPromise } from '../../store/invoice-repository';

export function createAgentCommitmentActivities({ db }: ActivityDeps) {
  return {
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
