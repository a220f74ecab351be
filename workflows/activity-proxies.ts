/**
 * The activity handles every workflow uses, with their timeouts and retries in one place.
 * Store and planning work retries until it succeeds (a database outage ends); a send keeps trying
 * for a provider outage of up to its retry window (DELIVERY_RETRY_WINDOW_MS for dunning), then
 * the failure is recorded.
 */
import { proxyActivities } from '@temporalio/workflow';
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
