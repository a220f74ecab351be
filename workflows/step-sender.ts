/**
 * Sends one step of a sequence on each of its channels, through the send activity. A deferral
 * waits for its instant; a "paused" answer (the store knows of a pause the workflow has not yet
 * been told of) waits for the signal; any event interrupts the wait, and the step is tried again
 * later with the same idempotency keys. Workflow code: deterministic, effects in activities.
 */
import {
  ActivityFailure,
  CancelledFailure,
  condition,
  log,
  patched,
  TemporalFailure,
} from '@temporalio/workflow';
import type { DeliverInput } from '../activities';
import { act, LOCAL_FIRST_SEND, localSendAttempt, sendActivities } from './activity-proxies';
import {
  DELIVERY_RETRY_WINDOW_MS,
  fallsBack,
  type PlannedStep,
  type SendOutcome,
} from '../domain/sequence-types';

// A provider outage may last hours: keep trying for two days, then record the failure and go on.
const send = sendActivities(DELIVERY_RETRY_WINDOW_MS);

/** How long a step waits for the signal of a pause the store already shows, before asking again. */
const PAUSED_RECHECK_MS = 24 * 3600 * 1000;

/** `erased`: the do-not-contact answer came from the contact's erasure (no hand-off). */
export type StepResult = 'done' | 'interrupted' | 'do_not_contact' | 'erased';

export interface StepContext {
  sequenceId: string;
  sequenceType: string;
  contactId: string;
  round: number;
  /** The sequence's purpose (an expiry schedule may be marketing); transactional when absent. */
  purpose?: DeliverInput['purpose'];
  /** True when events wait to be handled: any wait ends then. */
  hasEvents(): boolean;
  /** Told when a message waits (for the projection's "next at"), null when it stops waiting. */
  waiting(until: string | null): Promise<void>;
  /** Told of each final outcome, for the workflow's state. */
  recorded(stepId: string, outcome: SendOutcome): void;
  /** Whether a change behind a patch applies to this run (patched() when absent). */
  changed?: (patchId: string) => boolean;
  /**
   * The projection to record with a message that leaves and so ends the step (its last channel
   * entry), or undefined; the send records it and says so (SendOutcome `reported`).
   */
  reportIfSent?: (stepId: string) => DeliverInput['reportIfSent'];
}

/** Sends a step on each of its channels (a nested list is a fallback chain). */
export async function runStep(
  ctx: StepContext,
  step: PlannedStep,
  content: DeliverInput['content'],
  kind: DeliverInput['kind'],
): Promise<StepResult> {
  for (const [index, entry] of step.channels.entries()) {
    let fallbackOf: string | undefined;
    // A message sent on the last entry ends the step (a chain stops at the first one that leaves).
    const endsStep = index === step.channels.length - 1;
    for (const channel of Array.isArray(entry) ? entry : [entry]) {
      const outcome = await deliverUntilSettled(ctx, step, { channel, endsStep }, content, kind, fallbackOf);
      if (outcome === 'interrupted') return 'interrupted';
      ctx.recorded(step.id, outcome);
      if (outcome.kind === 'suppressed' && outcome.reason === 'do_not_contact')
        return outcome.contactErased ? 'erased' : 'do_not_contact';
      if (!fallsBack(outcome)) break;
      fallbackOf = outcome.messageId;
    }
  }
  return 'done';
}

async function deliverUntilSettled(
  ctx: StepContext,
  step: PlannedStep,
  { channel, endsStep }: { channel: 'email' | 'sms'; endsStep: boolean },
  content: DeliverInput['content'],
  kind: DeliverInput['kind'],
  fallbackOf: string | undefined,
): Promise<SendOutcome | 'interrupted'> {
  const input: DeliverInput = {
    sequenceId: ctx.sequenceId,
    sequenceType: ctx.sequenceType,
    step: step.id,
    round: ctx.round,
    channel,
    template: step.template ?? step.id,
    purpose: ctx.purpose ?? 'transactional',
    kind,
    contactId: ctx.contactId,
    plannedAt: step.at,
    content,
    ...(fallbackOf ? { fallbackOf } : {}),
  };
  for (;;) {
    if (ctx.hasEvents()) return 'interrupted';
    const report = endsStep ? ctx.reportIfSent?.(step.id) : undefined;
    const outcome = await deliverOrRecordFailure(
      report ? { ...input, reportIfSent: report } : input,
      ctx.changed,
    );
    const waitUntil =
      outcome.kind === 'deferred'
        ? Date.parse(outcome.until)
        : outcome.kind === 'suppressed' && outcome.reason === 'paused' && kind === 'escalation'
          ? Date.now() + PAUSED_RECHECK_MS
          : undefined;
    if (waitUntil === undefined) return outcome;
    await ctx.waiting(new Date(waitUntil).toISOString());
    const interrupted = await condition(() => ctx.hasEvents(), Math.max(0, waitUntil - Date.now()));
    await ctx.waiting(null);
    if (interrupted) return 'interrupted';
  }
}

/**
 * One send through the send activity. When it gives up (the provider kept failing for its whole
 * retry window, or refused for good), the ledger must not keep the message "waiting" for ever: the
 * attempt is closed `failed (provider_rejected)` and that is the outcome.
 */
export async function deliverOrRecordFailure(
  input: DeliverInput,
  changed: (patchId: string) => boolean = patched,
): Promise<SendOutcome> {
  // One attempt in the worker first (no task queue round trip); on any failure the send activity
  // takes over with its retry window, and finds the attempt's ledger row under the same key.
  // Histories recorded before scheduled the send activity at once, and replay keeps them so.
  if (changed(LOCAL_FIRST_SEND)) {
    try {
      return await localSendAttempt.deliverMessage({
        ...input,
        workflowTime: new Date(Date.now()).toISOString(),
      });
    } catch (error) {
      // A local attempt's failure may come unwrapped (an ApplicationFailure, not an ActivityFailure);
      // a cancelled workflow stays cancelled.
      if (!(error instanceof TemporalFailure) || error instanceof CancelledFailure) throw error;
      log.warn('first attempt failed, the send activity retries', {
        step: input.step,
        channel: input.channel,
        error: error.cause?.message ?? error.message,
      });
    }
  }
  try {
    return await send.deliverMessage(input);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const detail = error.cause?.message ?? error.message;
    log.error('message could not be delivered', { step: input.step, channel: input.channel, error: detail });
    await act.closeOpenAttempts({
      sequenceId: input.sequenceId,
      step: input.step,
      channel: input.channel,
      status: 'failed',
      reason: 'provider_rejected',
      detail,
    });
    return { kind: 'failed', channel: input.channel, messageId: '', reason: 'provider_rejected' };
  }
}
