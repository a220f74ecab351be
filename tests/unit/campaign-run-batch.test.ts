/** Several audience pages in one activity: each page still checks the campaign, so a pause or a cancel stops the batch at the next page. */
import { describe, expect, it } from 'vitest';
import type { RunPageInput, RunPageResult } from '../../activities/campaign-run.activities';
import { inBatches } from '../../activities/campaign-run-batch';

const counts = (sent: number) => ({ decided: sent, sent, deferred: 0, suppressed: 0, failed: 0 });
const input = (maxPages?: number): RunPageInput => ({
  campaignId: 'weekly',
  runId: 'weekly/2026-03-02',
  date: '2026-03-02',
  opensAt: '2026-03-02T09:00:00Z',
  source: { kind: 'audience', after: null },
  pageSize: 2,
  ...(maxPages === undefined ? {} : { maxPages }),
});

/** An audience of `pages` pages; the campaign is paused once `pausedAfter` pages have gone. */
function audience(pages: number, pausedAfter = Infinity) {
  const seen: (string | null)[] = [];
  const onePage = (page: RunPageInput): Promise<RunPageResult> => {
    const after = page.source.kind === 'audience' ? page.source.after : null;
    seen.push(after);
    const index = seen.length;
    if (index > pausedAfter)
      return Promise.resolve({
        stopped: 'paused',
        next: null,
        more: false,
        nextDueAt: null,
        counts: counts(0),
      });
    const next = index < pages ? `c${index * 2}` : null;
    return Promise.resolve({ stopped: null, next, more: false, nextDueAt: null, counts: counts(2) });
  };
  return { seen, run: inBatches(onePage) };
}

describe('campaign pages in batches', () => {
  it('when a batch may take five pages of a seven-page audience, then it takes five, hands back the cursor and the counts of all five', async () => {
    const { seen, run } = audience(7);
    const result = await run(input(5));
    expect(seen).toEqual([null, 'c2', 'c4', 'c6', 'c8']);
    expect(result).toMatchObject({ next: 'c10', pages: 5, counts: { decided: 10, sent: 10 } });
  });

  it('when the audience ends inside the batch, then the batch ends with it', async () => {
    const { seen, run } = audience(2);
    expect(await run(input(5))).toMatchObject({ next: null, pages: 2, counts: { sent: 4 } });
    expect(seen).toHaveLength(2);
  });

  it('when the campaign is paused after the second page, then the third page sees it and nothing more is taken', async () => {
    const { seen, run } = audience(7, 2);
    expect(await run(input(5))).toMatchObject({ stopped: 'paused', pages: 3, counts: { sent: 4 } });
    expect(seen).toHaveLength(3);
  });

  it('when a workflow asks for no batch (older code), then one page is taken', async () => {
    const { seen, run } = audience(7);
    expect(await run(input())).toMatchObject({ next: 'c2', pages: 1 });
    expect(seen).toHaveLength(1);
  });
});
