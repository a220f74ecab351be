/**
 * A marketing message to one contact (id `campaign/<campaignId>/<contactId>`): waits for the
 * campaign's send time, then goes through the same policy as every message. No longer started
 * (every campaign now runs through its loop and runs, campaign.workflow.ts); kept registered so
 * the ones started before finish. Marketing is never
 * pushed on anyone: a cap or a missing consent suppresses it; only quiet hours defer it.
 */
import { ActivityFailure, log, sleep, workflowInfo } from '@temporalio/workflow';
import { act, sendActivities } from './activity-proxies';
import { CAMPAIGN_RETRY_WINDOW_MS, type SendOutcome } from '../domain/sequence-types';
import type { CampaignMessageInput } from './messages';

const send = sendActivities(CAMPAIGN_RETRY_WINDOW_MS);

/** The ledger's last word for this contact: "sent", or "suppressed: <reason>". */
export async function campaignMessageWorkflow(input: CampaignMessageInput): Promise<string[]> {
  const sequenceId = workflowInfo().workflowId;
  const startedAt = new Date(Date.now()).toISOString();
  const report = (status: 'running' | 'completed', outcome: string | null, nextAt: string | null) =>
    act.recordSequence({
      id: sequenceId,
      type: 'campaign',
      subjectId: input.campaignId,
      contactId: input.contactId,
      status,
      stage: status === 'running' ? 'scheduled' : 'done',
      outcome,
      pausedReason: null,
      nextStep: status === 'running' ? 'offer' : null,
      nextAt,
      steps: [],
      escalation: 0,
      startedAt,
      updatedAt: new Date(Date.now()).toISOString(),
    });

  const plannedAt = input.sendAt && Date.parse(input.sendAt) > Date.now() ? input.sendAt : startedAt;
  await report('running', null, plannedAt);
  if (Date.parse(plannedAt) > Date.now()) await sleep(Date.parse(plannedAt) - Date.now());

  const results: string[] = [];
  for (const channel of input.channels) {
    const outcome = await deliver(input, sequenceId, channel, plannedAt);
    results.push(
      outcome.kind === 'sent'
        ? `${channel}: sent`
        : `${channel}: ${outcome.kind} (${'reason' in outcome ? outcome.reason : ''})`,
    );
  }
  await report('completed', results.join('; '), null);
  return results;
}

async function deliver(
  input: CampaignMessageInput,
  sequenceId: string,
  channel: 'email' | 'sms',
  plannedAt: string,
): Promise<SendOutcome> {
  for (;;) {
    let outcome: SendOutcome;
    try {
      outcome = await send.deliverMessage({
        sequenceId,
        sequenceType: 'campaign',
        step: 'offer',
        round: 0,
        channel,
        template: input.template,
        purpose: 'marketing',
        kind: 'offer',
        contactId: input.contactId,
        plannedAt,
        // SubjectContent since sequence kinds; the activity still reads the older form of running runs.
        content: {
          kind: 'offer',
          subjectIds: [input.campaignId],
          mergeSameDay: false,
          extra: { offer: input.content },
        },
      });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      const detail = error.cause?.message ?? error.message;
      log.error('campaign message could not be delivered', { channel, error: detail });
      // The ledger must not keep a message "waiting" that will never leave.
      await act.closeOpenAttempts({
        sequenceId,
        step: 'offer',
        channel,
        status: 'failed',
        reason: 'provider_rejected',
        detail,
      });
      return { kind: 'failed', channel, messageId: '', reason: 'provider_rejected' };
    }
    if (outcome.kind !== 'deferred') return outcome;
    await sleep(Math.max(0, Date.parse(outcome.until) - Date.now()));
  }
}
