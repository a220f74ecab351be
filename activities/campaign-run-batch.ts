/**
 * Several audience pages in one activity. Each page stays what it was (its own transaction, its
 * own check of the campaign's status, its own SendGrid request): a pause or a cancel still stops
 * the run at the next page. What goes is the round trip through the Temporal server between two
 * pages (a workflow task, then an activity task), about 200 ms a page on the 2-core machine, in
 * which the stack's one thread had nothing to do. A retried batch starts again at its first page:
 * the pages already done find their rows by idempotency key and send nothing again.
 */
import type { RunPageInput, RunPageResult } from './campaign-run.activities';
import { heartbeat } from './campaign-send';

/** Pages one activity takes at most, and the time after which it hands back (progress, history). */
export const PAGES_PER_BATCH = 5;
const BATCH_BUDGET_MS = 30_000;

function sum(a: RunPageResult['counts'], b: RunPageResult['counts']): RunPageResult['counts'] {
  return {
    decided: a.decided + b.decided,
    sent: a.sent + b.sent,
    deferred: a.deferred + b.deferred,
    suppressed: a.suppressed + b.suppressed,
    failed: a.failed + b.failed,
  };
}

/**
 * Runs `onePage` over up to `input.maxPages` audience pages (one for the due phase, and for a
 * workflow that does not ask for more); the result is the last page's, with the counts of all
 * and the number of pages in `pages`.
 */
export function inBatches(
  onePage: (input: RunPageInput) => Promise<RunPageResult>,
): (input: RunPageInput) => Promise<RunPageResult> {
  return async (input) => {
    const budget = input.source.kind === 'audience' ? Math.max(1, input.maxPages ?? 1) : 1;
    const started = Date.now();
    let source = input.source;
    let counts: RunPageResult['counts'] | undefined;
    for (let done = 1; ; done += 1) {
      const result = await onePage({ ...input, source });
      counts = counts ? sum(counts, result.counts) : result.counts;
      const over = done >= budget || Date.now() - started > BATCH_BUDGET_MS;
      if (result.stopped || result.next === null || over) return { ...result, counts, pages: done };
      source = { kind: 'audience', after: result.next };
      heartbeat();
    }
  };
}
