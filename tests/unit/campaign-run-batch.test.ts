/**
 * Several audience pages in one activity: each page still checks the campaign, so a pause or a
 * cancel stops the batch within a page; the next page is prepared while one is with the provider.
 */
import { describe, expect, it } from 'vitest';
import type { RunPageInput } from '../../activities/campaign-run.activities';
import { inBatches, type PageStages } from '../../activities/campaign-run-batch';

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
function audience(pages: number, pausedAfter = Infinity, failSending?: number) {
  const seen: (string | null)[] = [];
  const events: string[] = [];
  const stages: PageStages<{ index: number; stopped: boolean }> = {
    prepare: (page) => {
      seen.push(page.source.kind === 'audience' ? page.source.after : null);
      events.push(`prepare ${seen.length}`);
      return Promise.resolve({ index: seen.length, stopped: seen.length > pausedAfter });
    },
    next: (page) => (page.stopped || page.index >= pages ? null : `c${page.index * 2}`),
    send: async (page) => {
      events.push(`send ${page.index}`);
      await new Promise((r) => setTimeout(r, 5)); // with the provider
      if (page.index === failSending) throw new Error('provider down');
      events.push(`sent ${page.index}`);
      return page.stopped
        ? { stopped: 'paused', next: null, more: false, nextDueAt: null, counts: counts(0) }
        : { stopped: null, next: stages.next(page), more: false, nextDueAt: null, counts: counts(2) };
    },
  };
  return { seen, events, run: inBatches(stages) };
}

/** Three pages into a batch: page 3 is prepared only once page 1 is answered. */
const TWO_WITH_THE_PROVIDER = ['prepare 1', 'send 1', 'prepare 2', 'send 2', 'sent 1', 'prepare 3', 'send 3'];

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

  it('when pages are with the provider, then the next page is prepared meanwhile, and never more than two are with it', async () => {
    const { events, run } = audience(3);
    await run(input(5));
    expect(events).toEqual([...TWO_WITH_THE_PROVIDER, 'sent 2', 'sent 3']);
  });

  it('when the provider fails a page, then no further page is prepared and the batch fails (to be retried) once the pages sent beside it are answered', async () => {
    const { events, run } = audience(7, Infinity, 2);
    await expect(run(input(5))).rejects.toThrow('provider down');
    expect(events).toEqual([...TWO_WITH_THE_PROVIDER, 'sent 3']); // page 2 failed
  });
});
