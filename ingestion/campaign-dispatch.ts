/**
 * Campaign events leave the ordered event pump at once: every campaign (a one-shot list of
 * contactIds, with or without sendAt, a segment, a recurrence) is one start of its schedule loop
 * (`campaign/<id>`), which runs each run as its own workflow paging through the audience; pause,
 * resume and cancel are one signal to it. However large the audience, the pump spends one call on
 * a campaign, never one per recipient, so invoice events behind it wait for nothing.
 * (Before, a one-shot list started one `campaignMessageWorkflow` per contact from the pump; that
 * workflow stays registered so the ones already running finish.)
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Sql } from '../store/db';
import type { StoredEvent } from '../store/event-repository';
import {
  campaignChangedSignal,
  campaignLoopId,
  campaignRunNudgeSignal,
  campaignRunWorkflowId,
  TASK_QUEUE,
  type CampaignLoopInput,
} from '../workflows/messages';

/** Is this event a campaign to start? Every `campaign.scheduled` runs through the schedule loop. */
export function usesCampaignLoop(event: StoredEvent): boolean {
  return event.type === 'campaign.scheduled';
}

/** Starts the campaign's schedule loop once; a repeat (after a crash) tells the running one to look again. */
export async function startCampaignLoop(client: Client, event: StoredEvent): Promise<void> {
  const campaignId = String(event.data.id);
  const input: CampaignLoopInput = { campaignId, after: null };
  try {
    await client.workflow.start('campaignWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: campaignLoopId(campaignId),
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * Pause, resume, cancel: the loop reads the new status from the store when woken. A cancel also
 * nudges each run still going, so one waiting for deferred recipients closes them at once. A
 * pause is not nudged: a run waiting for its recipients' hour sees the pause when it wakes (and
 * closes them then), so a pause and a resume both before that hour change nothing for them.
 */
export async function signalCampaignLoop(client: Client, sql: Sql, event: StoredEvent): Promise<void> {
  const campaignId = String(event.data.campaignId);
  await signalQuietly(() =>
    client.workflow
      .getHandle(campaignLoopId(campaignId))
      .signal(campaignChangedSignal, { eventId: event.id, type: event.type }),
  );
  if (event.type !== 'campaign.cancelled') return;
  const runs = await sql.query<{ run_id: string }>(
    `select run_id from campaign_runs where campaign_id = $1 and status = 'running' order by run_id`,
    [campaignId],
  );
  for (const run of runs)
    await signalQuietly(() =>
      client.workflow.getHandle(campaignRunWorkflowId(run.run_id)).signal(campaignRunNudgeSignal),
    );
}

async function signalQuietly(signal: () => Promise<void>): Promise<void> {
  try {
    await signal();
  } catch (error) {
    // A finished loop or run (cancelled, completed) has no one to tell; the store holds the status.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
