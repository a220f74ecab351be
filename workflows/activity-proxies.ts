/**
 * The activity handles every workflow uses, with their timeouts and retries in one place.
 * Store and planning work retries until it succeeds (a database outage ends); a send keeps trying
 * for a provider outage of up to `sendScheduleToClose`, then the failure is recorded.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** Store and planning activities: 30 s each, retried with backoff up to 5 minutes apart. */
export const act = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** The send activity: 60 s an attempt; a template or missing record is not retried. */
export function sendActivities(sendScheduleToClose: '1 day' | '2 days') {
  return proxyActivities<Activities>({
    startToCloseTimeout: '60 seconds',
    scheduleToCloseTimeout: sendScheduleToClose,
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '15 minutes',
      nonRetryableErrorTypes: ['INVALID_TEMPLATE', 'NOT_FOUND'],
    },
  });
}
