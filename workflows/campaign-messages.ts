/**
 * Signals, queries and ids of the campaign workflows (re-exported by messages.ts, which clients
 * import): `campaign/<id>` is a campaign's schedule loop, `campaign-run/<campaignId>/<date>` a run.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const campaignLoopId = (campaignId: string) => `campaign/${campaignId}`;
export const campaignRunWorkflowId = (runId: string) => `campaign-run/${runId}`;

/** Something changed (paused, resumed, cancelled, patched): the loop looks at the store again. */
export const campaignChangedSignal = defineSignal<[{ eventId: string; type: string }]>('campaignChanged');
/** Wakes a run waiting for its next deferred recipient, so a pause or cancel is seen at once. */
export const campaignRunNudgeSignal = defineSignal('campaignRunNudge');

export interface CampaignLoopInput {
  campaignId: string;
  /** The last run's opening instant (UTC ISO); null before the first run. */
  after: string | null;
}

export interface RunTotals {
  pages: number;
  decided: number;
  sent: number;
  deferred: number;
  suppressed: number;
  failed: number;
}

export interface CampaignRunInput {
  campaignId: string;
  runId: string;
  date: string;
  opensAt: string;
  /** Whether no run follows this one (the campaign is completed when it ends). */
  last: boolean;
  pageSize?: number;
  /** Carried across continue-as-new. */
  carry?: { phase: 'audience' | 'due'; cursor: string | null; totals: RunTotals };
}

export interface CampaignRunProgress {
  runId: string;
  status: 'running' | 'waiting' | 'completed' | 'paused' | 'cancelled';
  phase: 'audience' | 'due';
  /** When the run next wakes for recipients deferred to their instant. */
  nextDueAt: string | null;
  totals: RunTotals;
}

export const campaignRunProgressQuery = defineQuery<CampaignRunProgress>('campaignRunProgress');
