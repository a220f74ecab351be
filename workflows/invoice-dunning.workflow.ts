/**
 * Invoice dunning: one workflow per invoice (id `invoice-dunning/<invoiceId>`), running the
 * invoice's schedule with durable timers, reacting to payments, plans, disputes, promises and
 * cancellations as signals, answering `dunningState` queries and agents' `handoffAction` Updates. See dunning-run.ts.
 *
 * Two types run the same code. New invoices start `invoiceDunningWorkflowV2`, written with every
 * change the first type took behind patched() already in: a patch costs each new run a marker
 * and a search-attribute update in its history (two by a run's first reminder), and this type
 * also records its first projection in its planning call. `invoiceDunningWorkflow` stays for the
 * runs started before it, which keep their patched() paths (their recorded histories replay).
 */
import { setHandler } from '@temporalio/workflow';
import { DunningRun } from './dunning-run';
import {
  dunningStateQuery,
  handoffActionUpdate,
  invoiceEventSignal,
  type DunningInput,
  type DunningState,
} from './messages';

function runDunning(run: DunningRun): Promise<DunningState> {
  setHandler(invoiceEventSignal, (event) => run.receive(event));
  setHandler(dunningStateQuery, () => run.state);
  setHandler(handoffActionUpdate, (action) => run.receiveAction(action), {
    validator: (action: unknown) => run.validateAction(action),
  });
  return run.run();
}

/** The type new invoices start (the dispatcher's DUNNING_WORKFLOW_TYPE). */
export async function invoiceDunningWorkflowV2(input: DunningInput): Promise<DunningState> {
  return runDunning(new DunningRun(input, true));
}

/** The first type: runs started before V2 finish on it. */
export async function invoiceDunningWorkflow(input: DunningInput): Promise<DunningState> {
  return runDunning(new DunningRun(input));
}
