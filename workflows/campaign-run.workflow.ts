/**
 * One run of a campaign (`campaign-run/<campaignId>/<date>`): the audience in pages of at most
 * 1,000, up to five pages an activity (each page decided, recorded, rendered and sent on its own), then the recipients
 * deferred to their instant (quiet hours, 10:00 in their own zone), each time they fall due.
 * A pause or cancel is seen by the next page (each page reads the campaign's status first). The
 * history stays bounded: continue-as-new every PAGES_PER_EXECUTION page activities.
 */
import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities, RunPageInput, RunPageResult } from '../activities';
import { act } from './activity-proxies';
import {
  campaignRunNudgeSignal,
  campaignRunProgressQuery,
  type CampaignRunInput,
  type CampaignRunProgress,
  type RunTotals,
} from './campaign-messages';

export const DEFAULT_PAGE_SIZE = 1000;
const PAGES_PER_EXECUTION = 50;
/** Audience pages per activity (activities/campaign-run-batch.ts); the input only, no new command. */
const PAGES_PER_ACTIVITY = 5;
/** A due page that found nothing to do waits this long before looking again (no busy loop). */
const IDLE_MS = 60_000;

/** Page activities: 10 minutes an attempt (SMS wait for their sender's rate), heartbeat 2 minutes. */
const pages = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: ['NOT_FOUND', 'INVALID_TEMPLATE'],
  },
});

const zero = (): RunTotals => ({ pages: 0, decided: 0, sent: 0, deferred: 0, suppressed: 0, failed: 0 });

function add(totals: RunTotals, r: RunPageResult): void {
  totals.pages += r.pages ?? 1;
  totals.decided += r.counts.decided;
  totals.sent += r.counts.sent;
  totals.deferred += r.counts.deferred;
  totals.suppressed += r.counts.suppressed;
  totals.failed += r.counts.failed;
}

/** The run's progress (query `campaignRunProgress`); resolves with it once the run is over. */
export async function campaignRunWorkflow(input: CampaignRunInput): Promise<CampaignRunProgress> {
  const progress: CampaignRunProgress = {
    runId: input.runId,
    status: 'running',
    phase: input.carry?.phase ?? 'audience',
    nextDueAt: null,
    totals: input.carry?.totals ?? zero(),
  };
  let cursor = input.carry?.cursor ?? null;
  let nudged = false;
  setHandler(campaignRunProgressQuery, () => progress);
  setHandler(campaignRunNudgeSignal, () => {
    nudged = true;
  });
  if (!input.carry) await act.campaignRunOpen({ campaignId: input.campaignId, runId: input.runId });

  const page = async (source: RunPageInput['source']) => {
    const result = await pages.campaignRunPage({
      campaignId: input.campaignId,
      runId: input.runId,
      date: input.date,
      opensAt: input.opensAt,
      source,
      pageSize: input.pageSize ?? DEFAULT_PAGE_SIZE,
      // Audience pages one activity takes in a row (no round trip through the server between them).
      maxPages: PAGES_PER_ACTIVITY,
    });
    add(progress.totals, result);
    return result;
  };
  const finish = async (status: 'completed' | 'paused' | 'cancelled') => {
    await act.campaignRunClose({
      campaignId: input.campaignId,
      runId: input.runId,
      status,
      last: input.last,
    });
    progress.status = status;
    return progress;
  };
  const rollOver = async (executed: number) => {
    if (executed < PAGES_PER_EXECUTION) return;
    await continueAsNew<typeof campaignRunWorkflow>({
      ...input,
      carry: { phase: progress.phase, cursor, totals: progress.totals },
    });
  };

  let executed = 0;
  while (progress.phase === 'audience') {
    const result = await page({ kind: 'audience', after: cursor });
    if (result.stopped) return finish(result.stopped);
    cursor = result.next;
    if (cursor === null) progress.phase = 'due';
    await rollOver((executed += 1));
  }
  for (;;) {
    const result = await page({ kind: 'due' });
    if (result.stopped) return finish(result.stopped);
    await rollOver((executed += 1));
    if (result.more) continue;
    if (result.nextDueAt === null) return finish('completed');
    const idle = result.counts.decided === 0 && Date.parse(result.nextDueAt) <= Date.now();
    const wait = idle ? IDLE_MS : Date.parse(result.nextDueAt) - Date.now();
    if (wait <= 0) continue;
    progress.status = 'waiting';
    progress.nextDueAt = result.nextDueAt;
    nudged = false;
    await condition(() => nudged, wait);
    progress.status = 'running';
    progress.nextDueAt = null;
  }
}
