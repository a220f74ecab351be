/** All activities, built from their dependencies: `createActivities(deps)` is what a worker registers. */
import type { ActivityDeps } from './deps';
import { createCampaignRunActivities } from './campaign-run.activities';
import { createCampaignScheduleActivities } from './campaign-schedule.activities';
import { createDeliverActivity } from './deliver.activity';
import { kindActivities } from '../kinds/registry';
import { createSequenceActivities } from './sequence.activities';
import { createHandoffActivities } from './handoff.activities';

export function createActivities(deps: ActivityDeps) {
  return {
    ...kindActivities(deps),
    ...createDeliverActivity(deps),
    ...createSequenceActivities(deps),
    ...createHandoffActivities(deps),
    ...createCampaignRunActivities(deps),
    ...createCampaignScheduleActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps } from './deps';
export type { DeliverInput } from './prepare-message';
export type { DunningPlan, InstallmentPlan, InvoiceSnapshot, PromiseTerms } from '../kinds/registry';
export type { SubjectContent } from '../kinds/kind';
export type { InstallmentPoint } from '../domain/schedule';
export type { SequenceReport } from './sequence.activities';
export type { ExpiryPlan, ExpiryRef } from '../kinds/registry';
export type { RunPageInput, RunPageResult } from './campaign-run.activities';
export type { CampaignOutlook } from './campaign-schedule.activities';
