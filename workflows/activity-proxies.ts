/**
 * The activity handles every workflow uses, with their timeouts and retries in one place.
 * Store and planning work retries until it succeeds (a database outage ends); a send keeps trying
 * for a provider outage of up to its retry window (DELIVERY_RETRY_WINDOW_MS for dunning), then
 * the failure is recorded.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** Store and planning activities: 30 s each, retried with backoff up to 5 minutes apart. */
export const act = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * The send activity: 60 s an attempt; a template or missing record is not retried. The retry
 * window is the same constant the SMS channel's confirmation lookback is derived from (same
 * values as the former '2 days' / '1 day' literals, so recorded histories are unchanged).
 */
export function sendActivities(retryWindowMs: number) {
  return proxyActivities<Activities>({
    startToCloseTimeout: '60 seconds',
    scheduleToCloseTimeout: retryWindowMs,
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '15 minutes',
      nonRetryableErrorTypes: ['INVALID_TEMPLATE', 'NOT_FOUND'],
    },
  });
}

/**
 * Short store calls run as local activities: in the worker, recorded as a marker in the workflow
 * task that asked for them, with no round trip through the server's task queues. Same timeout and
 * retries as `act`. Only for calls that do not read the activity's clock (activityNow): a local
 * activity's scheduled time is the worker's wall clock, not a time-skipping server's.
 */
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * The handle for a dunning workflow's short store calls (planDunning, recordSequence,
 * invoiceSnapshot): local activities, or the task-queue activities the workflow scheduled before
 * the patch. A running sequence's commands change here, so histories recorded before take the
 * old path on replay (no marker); a new run, or a running one past its replayed part, the new one.
 * `changed` answers whether a change applies (DunningCore.changed: patched(), or always for the
 * workflow type that was written with every change in).
 */
export function storeCalls(
  changed: (patchId: string) => boolean,
): Pick<Activities, 'planDunning' | 'recordSequence' | 'invoiceSnapshot'> {
  return changed(LOCAL_STORE_CALLS) ? local : act;
}

/** The patch of storeCalls() and of the step due at once (no zero timer), in dunning-run.ts. */
export const LOCAL_STORE_CALLS = 'dunning-local-store-calls';

/**
 * A send's first attempt, in the worker: one try, no retry of its own (the send activity retries,
 * on its clock and with its window). Its input carries the workflow's time (see activityNow).
 */
export const localSendAttempt = proxyLocalActivities<Activities>({
  startToCloseTimeout: '60 seconds',
  retry: { maximumAttempts: 1 },
});

/** The patch of deliverOrRecordFailure (step-sender.ts): a send tries once locally first. */
export const LOCAL_FIRST_SEND = 'send-local-first-attempt';
