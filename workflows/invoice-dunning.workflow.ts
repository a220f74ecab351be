/**
 * Invoice dunning: one workflow per invoice (id `invoice-dunning/<invoiceId>`), running the
 * invoice's schedule with durable timers, reacting to payments, plans, disputes, promises and
 * cancellations as signals, answering `dunningState` queries and agents' `handoffAction` Updates. See dunning-run.ts.
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

export async function invoiceDunningWorkflow(input: DunningInput): Promise<DunningState> {
  const run = new DunningRun(input);
  setHandler(invoiceEventSignal, (event) => run.receive(event));
  setHandler(dunningStateQuery, () => run.state);
  setHandler(handoffActionUpdate, (action) => run.receiveAction(action), {
    validator: (action: unknown) => run.validateAction(action),
  });
  return run.run();
}
