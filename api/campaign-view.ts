/** A campaign as GET /v1/campaigns/{id} shows it: definition, status, next run, runs with counts. */
import { campaignRunId, upcomingRun } from '../domain/campaign';
import { runCounts, runsOf, type StoredCampaign } from '../store/campaign-repository';
import type { Sql } from '../store/db';

export async function campaignView(db: Sql, campaign: StoredCampaign, now: string) {
  const [runs, counts] = await Promise.all([runsOf(db, campaign.id), runCounts(db, campaign.id)]);
  const ranDates = runs.map((r) => r.runId.slice(campaign.id.length + 1));
  const next = upcomingRun(campaign.definition, campaign.status, campaign.createdAt, ranDates, now);
  return {
    id: campaign.id,
    status: campaign.status,
    definition: campaign.definition,
    nextRun: next
      ? { runId: campaignRunId(campaign.id, next.date), opensAt: next.opensAt, closesAt: next.closesAt }
      : null,
    runs: runs.map((run) => ({
      runId: run.runId,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      ...(counts.get(run.runId) ?? { targeted: 0, sent: 0, deferred: 0, suppressed: {}, failed: 0 }),
    })),
    createdAt: campaign.createdAt,
    updatedAt: campaign.updatedAt,
  };
}
