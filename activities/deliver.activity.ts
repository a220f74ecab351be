/**
 * The one path every message takes: decide (policy), record the attempt in the ledger under its
 * idempotency key, render, hand to the channel, record the result. A retried attempt finds its
 * ledger row and never sends twice; a transient provider fault throws so Temporal retries.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { certainlyNotReceived, ProviderTransientError, type SendResult } from '../channels/channel';
import { ErrorCode } from '../domain/errors';
import type { SendOutcome } from '../domain/sequence-types';
import { getContact } from '../store/contact-repository';
import { findByIdempotencyKey, updateAttempt, type LedgerUpdate } from '../store/ledger-repository';
import { saveSequence } from '../store/sequence-repository';
import { activityNow, type ActivityDeps } from './deps';
import { prepareMessage, type DeliverInput, type Prepared } from './prepare-message';

export type { DeliverInput } from './prepare-message';

const NEVER_RECEIVED = 'the provider never received the message: decided again before any resend';
const ASSUMED_SENT =
  'interrupted while the provider was answering; the provider cannot confirm, so the message is taken as sent rather than risk a duplicate';

export function createDeliverActivity(deps: ActivityDeps) {
  const { db, channels, logger } = deps;

  async function callProvider(send: Extract<Prepared, { kind: 'send' }>, now: string): Promise<SendOutcome> {
    const { row, message } = send;
    const base = { messageId: row.id, channel: row.channel };
    let result: SendResult;
    try {
      result =
        message.channel === 'email'
          ? await channels.email.send(message.email)
          : await channels.sms.send(message.sms);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      // The provider answered with an error (or was never reached): nothing left, so the next
      // attempt decides again, as the subject may be settled by then. A timeout or a cut connection
      // may have delivered: the row stays "sending" and the next attempt asks the provider first.
      const update: LedgerUpdate = certainlyNotReceived(error)
        ? { status: 'deferred', error: detail, deferredUntil: null }
        : { status: 'sending', error: `outcome unknown: ${detail}` };
      await updateAttempt(db, row.id, update, now);
      if (error instanceof ProviderTransientError && error.retryAfterMs !== undefined) {
        throw ApplicationFailure.create({
          message: detail,
          type: 'ProviderTransient',
          nextRetryDelay: error.retryAfterMs,
        });
      }
      throw error;
    }
    if (result.kind === 'accepted') {
      const sent = {
        status: 'sent' as const,
        sentAt: now,
        provider: result.provider,
        providerId: result.providerId,
        error: null,
      };
      await updateAttempt(db, row.id, sent, now);
      return { kind: 'sent', ...base };
    }
    await updateAttempt(db, row.id, { status: 'failed', reason: result.reason, error: result.detail }, now);
    return { kind: 'failed', ...base, reason: result.reason };
  }

  /**
   * After an unknown outcome: the provider's answer, or null when it never got the message. Then
   * the row goes back to "deferred", so the caller's next preparation decides again at this
   * retry's own time (paid, STOP, quiet hours, caps) exactly as after a provider error.
   */
  async function confirmSent(
    prepared: Extract<Prepared, { kind: 'confirm' }>,
    now: string,
  ): Promise<SendOutcome | null> {
    const { row, message } = prepared;
    const channel = message.channel === 'email' ? channels.email : channels.sms;
    const to = message.channel === 'email' ? message.email.to : message.sms.to;
    const confirmed = channel.confirm ? await channel.confirm(row.idempotencyKey, to) : undefined;
    if (confirmed === null) {
      await updateAttempt(
        db,
        row.id,
        { status: 'deferred', error: NEVER_RECEIVED, deferredUntil: null },
        now,
      );
      return null;
    }
    await updateAttempt(
      db,
      row.id,
      { status: 'sent', sentAt: now, ...(confirmed ? { providerId: confirmed } : { error: ASSUMED_SENT }) },
      now,
    );
    if (!confirmed) logger.warn({ messageId: row.id }, ASSUMED_SENT);
    return { kind: 'sent', messageId: row.id, channel: row.channel };
  }

  /**
   * A do-not-contact answer says whether the contact was erased: the sequence then ends `erased`
   * rather than handing its subject to a person about someone who is no longer on file.
   */
  async function markErased(outcome: SendOutcome, contactId: string): Promise<SendOutcome> {
    if (outcome.kind !== 'suppressed' || outcome.reason !== 'do_not_contact') return outcome;
    const contact = await getContact(db, contactId);
    return contact?.erasedAt ? { ...outcome, contactErased: true } : outcome;
  }

  /** Records the projection the workflow gave for a sent message, and says so in the outcome. */
  async function withReport(input: DeliverInput, outcome: SendOutcome): Promise<SendOutcome> {
    if (outcome.kind !== 'sent' || !input.reportIfSent) return outcome;
    return (await saveSequence(db, input.reportIfSent)) ? { ...outcome, reported: true } : outcome;
  }

  async function deliver(input: DeliverInput): Promise<SendOutcome> {
    const now = activityNow(deps.clock, input.workflowTime);
    let prepared = await prepareMessage(deps, input, now);
    if (prepared.kind === 'confirm') {
      const confirmed = await confirmSent(prepared, now);
      if (confirmed) return confirmed;
      prepared = await prepareMessage(deps, input, now); // the row is "deferred": decide again
    }
    switch (prepared.kind) {
      case 'done':
        return markErased(prepared.outcome, input.contactId);
      case 'confirm':
        // Another attempt put the row back to "sending" in between: let Temporal retry later.
        throw new ProviderTransientError(`message ${prepared.row.id} is being sent by another attempt`);
      case 'send':
        return callProvider(prepared, now);
      case 'template_error': {
        const row = await findByIdempotencyKey(db, prepared.key);
        throw ApplicationFailure.nonRetryable(
          `Message ${row?.id ?? prepared.key} cannot be rendered: ${prepared.error}`,
          ErrorCode.InvalidTemplate,
        );
      }
    }
  }

  return {
    /**
     * Sends one message of a sequence step on one channel, through the policy engine.
     * Start-to-close 60 s; retried with backoff on transient faults (after Retry-After for 429);
     * idempotent per (sequence, step, channel, round).
     */
    async deliverMessage(input: DeliverInput): Promise<SendOutcome> {
      return withReport(input, await deliver(input));
    },
  };
}
