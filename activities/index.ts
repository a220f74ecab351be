/** All activities, built from their dependencies: `createActivities(deps)` is what a worker registers. */
import type { ActivityDeps } from './deps';
import { createCampaignRunActivities } from './campaign-run.activities';
import { createCampaignScheduleActivities } from './campaign-schedule.activities';
import { createDeliverActivity } from './deliver.activity';
import { createPlanningActivities } from './dunning-plan.activities';
import { createSequenceActivities } from './sequence.activities';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlanningActivities(deps),
    ...createDeliverActivity(deps),
    ...createSequenceActivities(deps),
    ...createCampaignRunActivities(deps),
    ...createCampaignScheduleActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
export type { DeliverInput } from './prepare-message';
export type { DunningPlan, InstallmentPlan, InvoiceSnapshot, PromiseTerms } from './dunning-plan.activities';
export type { InstallmentPoint } from '../domain/schedule';
export type { SequenceReport } from './sequence.activities';
export type { RunPageInput, RunPageResult } from './campaign-run.activities';
export type { CampaignOutlook } from './campaign-schedule.activities';
