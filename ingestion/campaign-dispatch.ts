/**
 * Campaign events leave the ordered event pump at once: a segment or recurring campaign is one
 * start of its schedule loop (`campaign/<id>`), which runs each run as its own workflow paging
 * through the audience; pause, resume and cancel are one signal to it. However large the
 * audience, the pump spends one call on a campaign, never one per recipient, so invoice events
 * behind it wait for nothing. (A one-shot list of contactIds keeps its original form, one
 * workflow per listed contact, bounded by the 10,000 the schema accepts.)
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { StoredEvent } from '../store/event-repository';
import {
  campaignChangedSignal,
  campaignLoopId,
  TASK_QUEUE,
  type CampaignLoopInput,
} from '../workflows/messages';

/** Is this event's campaign run by the schedule loop (segment or recurrence)? */
export function usesCampaignLoop(event: StoredEvent): boolean {
  const data = event.data;
  return event.type === 'campaign.scheduled' && (data.segment !== undefined || data.recurrence !== undefined);
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

/** Pause, resume, cancel: the loop reads the new status from the store when woken. */
export async function signalCampaignLoop(client: Client, event: StoredEvent): Promise<void> {
  try {
    await client.workflow
      .getHandle(campaignLoopId(String(event.data.campaignId)))
      .signal(campaignChangedSignal, { eventId: event.id, type: event.type });
  } catch (error) {
    // A finished loop (cancelled, completed) or a one-shot list campaign has no loop to tell.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
