/**
 * Several audience pages in one activity. Each page stays what it was (its own transaction, its
 * own check of the campaign's status, its own SendGrid request): a pause or a cancel still stops
 * the run within a page. What goes is the round trip through the Temporal server between two
 * pages (a workflow task, then an activity task), about 200 ms a page on the 2-core machine, in
 * which the stack's one thread had nothing to do.
 *
 * The pages overlap: page N+1 is prepared (selected, decided, rendered, written `sending`) while
 * page N is with the provider, since the next page's cursor is known once a page is selected;
 * page N+2 is prepared once page N is answered.
 * Pages hold disjoint contacts, so neither sees the other's rows. A retried batch starts again at
 * its first page: the pages already done find their rows by idempotency key and send nothing
 * again; a page prepared but not sent when its predecessor failed finds its rows `sending` and
 * asks the provider about them first, as after a crash.
 */
import type { RunPageInput, RunPageResult } from './campaign-run.activities';
import { heartbeat } from './campaign-send';

/** Pages one activity takes at most, and the time after which it hands back (progress, history). */
export const PAGES_PER_BATCH = 5;
const BATCH_BUDGET_MS = 30_000;
/** Pages with the provider at once (the sink's benchmark keeps two requests in flight too). */
const SENDING = 2;

/** A page in two halves: prepared (the next page's cursor is then known), then sent. */
export interface PageStages<P> {
  prepare(input: RunPageInput): Promise<P>;
  /** The cursor after a prepared audience page; null after the last page or when the run stopped. */
  next(prepared: P): string | null;
  send(prepared: P): Promise<RunPageResult>;
}

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
 * Runs the stages over up to `input.maxPages` audience pages (one for the due phase, and for a
 * workflow that does not ask for more); the result is the last page's, with the counts of all
 * and the number of pages in `pages`. Pages are prepared one after the other, each sent as soon as
 * it is prepared, at most SENDING at once; the batch ends when every page it took is settled.
 */
export function inBatches<P>(stages: PageStages<P>): (input: RunPageInput) => Promise<RunPageResult> {
  return async (input) => {
    const budget = input.source.kind === 'audience' ? Math.max(1, input.maxPages ?? 1) : 1;
    const started = Date.now();
    const sends: Promise<RunPageResult>[] = [];
    let failed = false;
    try {
      for (let source = input.source; ;) {
        const page = await stages.prepare({ ...input, source });
        const sending = stages.send(page);
        sending.catch(() => (failed = true)); // seen by the next turn; thrown below
        sends.push(sending);
        const cursor = input.source.kind === 'audience' ? stages.next(page) : null;
        if (cursor === null || failed || sends.length >= budget || Date.now() - started > BATCH_BUDGET_MS)
          break;
        // The page before this one must be answered before a third is prepared.
        if (sends.length >= SENDING) await sends[sends.length - SENDING]?.catch(() => undefined);
        if (failed) break;
        source = { kind: 'audience', after: cursor };
        heartbeat();
      }
    } finally {
      // Whatever happens, no page is left with the provider when the batch ends.
      await Promise.allSettled(sends);
    }
    const results = await Promise.all(sends); // the first failure fails the batch: Temporal retries it
    const last = results[results.length - 1] as RunPageResult;
    const counts = results.map((r) => r.counts).reduce(sum);
    return { ...last, counts, pages: results.length };
  };
}
