/**
 * Store activities of a campaign's schedule loop and of its runs: where the campaign stands and
 * when it runs next (the recurrence is evaluated here, with the zone database, never in workflow
 * code), and the opening and closing of a run.
 */
import { campaignRunId, oneShotRun, type CampaignStatus } from '../domain/campaign';
import { nextRun, type PlannedRun } from '../domain/recurrence';
import { finishRun, getCampaign, openRun, runsOf, setCampaignStatus } from '../store/campaign-repository';
import { closeWaitingRunRows } from '../store/campaign-page-store';
import { activityNow, type ActivityDeps } from './deps';

export interface CampaignOutlook {
  status: CampaignStatus | 'missing';
  /** The next run not yet started, opening after `after`; null when none is left. */
  run: (PlannedRun & { runId: string }) | null;
}

export function createCampaignScheduleActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    /** Where the campaign stands and its next run after `after` (UTC ISO). 30 s, retried. */
    async campaignOutlook(input: { campaignId: string; after: string | null }): Promise<CampaignOutlook> {
      const campaign = await getCampaign(db, input.campaignId);
      if (!campaign) return { status: 'missing', run: null };
      const { definition } = campaign;
      const ran = new Set((await runsOf(db, campaign.id)).map((r) => r.runId));
      const after = input.after ?? campaign.createdAt;
      const planned = definition.recurrence
        ? nextRun(definition.recurrence, after)
        : input.after === null
          ? oneShotRun(definition, campaign.createdAt)
          : null;
      const run = planned ? { ...planned, runId: campaignRunId(campaign.id, planned.date) } : null;
      if (run && ran.has(run.runId) && !definition.recurrence) return { status: campaign.status, run: null };
      return { status: campaign.status, run };
    },

    /** Opens a run (once) and marks the campaign running. 30 s, retried. */
    async campaignRunOpen(input: { campaignId: string; runId: string }): Promise<void> {
      const now = activityNow(deps.clock);
      await db.transaction(async (tx) => {
        await openRun(tx, input.runId, input.campaignId, now);
        const campaign = await getCampaign(tx, input.campaignId);
        if (campaign?.status === 'scheduled') await setCampaignStatus(tx, input.campaignId, 'running', now);
      });
    },

    /**
     * Closes a run. A stopped run's waiting recipients are closed (they never leave); the
     * campaign goes back to `scheduled` (or `completed`, with no run left). 30 s, retried.
     */
    async campaignRunClose(input: {
      campaignId: string;
      runId: string;
      status: 'completed' | 'paused' | 'cancelled';
      last: boolean;
    }): Promise<void> {
      const now = activityNow(deps.clock);
      await db.transaction(async (tx) => {
        if (input.status !== 'completed') await closeWaitingRunRows(tx, input.runId, now);
        await finishRun(tx, input.runId, input.status, now);
        const campaign = await getCampaign(tx, input.campaignId);
        if (campaign?.status === 'running')
          await setCampaignStatus(tx, input.campaignId, input.last ? 'completed' : 'scheduled', now);
      });
    },

    /** A campaign with no run left is completed (unless paused or cancelled). 30 s, retried. */
    async campaignComplete(input: { campaignId: string }): Promise<void> {
      const now = activityNow(deps.clock);
      await db.query(
        `update campaigns set status = 'completed', updated_at = $2 where id = $1 and status in ('scheduled', 'running')`,
        [input.campaignId, now],
      );
    },
  };
}
