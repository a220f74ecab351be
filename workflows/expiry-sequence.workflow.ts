/**
 * One expiring subject's reminders (a card, a voucher, a lot of points, or any kind registered as
 * expiring): one workflow per subject and date (id `<sequenceType>/<itemId>/<expiresOn>`; a
 * renewal starts another), running its schedule with durable timers, ended by the subject's
 * events as signals, answering `expiryState` queries. See expiry-run.ts.
 */
import { setHandler } from '@temporalio/workflow';
import { ExpiryRun } from './expiry-run';
import { expiryStateQuery, itemEventSignal, type ExpiryInput, type ExpiryState } from './messages';

export async function expirySequenceWorkflow(input: ExpiryInput): Promise<ExpiryState> {
  const run = new ExpiryRun(input);
  setHandler(itemEventSignal, (event) => run.receive(event));
  setHandler(expiryStateQuery, () => run.state);
  return run.run();
}
