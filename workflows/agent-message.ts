/**
 * An agent's own message on a hand-off task, as the send activity takes it, and how its outcome
 * is told on the task's timeline. Workflow code: deterministic.
 */
import type { DeliverInput } from '../activities';
import type { HandoffAction } from '../domain/handoff-actions';
import type { SendOutcome } from '../domain/sequence-types';

/** A short, stable digest of a text (FNV-1a): the same message twice on a task is a duplicate. */
function digest(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

/** The send of an agent's text: its own step per task and text, through consent, windows and dedup. */
export function agentMessageInput(args: {
  sequenceId: string;
  taskId: number;
  contactId: string;
  invoiceId: string;
  action: Extract<HandoffAction, { type: 'send_message' }>;
  at: string;
}): DeliverInput {
  const { action } = args;
  return {
    sequenceId: args.sequenceId,
    sequenceType: 'invoice-dunning',
    step: `agent-${args.taskId}-${digest(`${action.channel}|${action.text}`)}`,
    round: 0,
    channel: action.channel,
    template: 'agent-message',
    purpose: 'transactional',
    kind: 'agent',
    contactId: args.contactId,
    plannedAt: args.at,
    content: {
      kind: 'agent-message',
      subjectIds: [args.invoiceId],
      mergeSameDay: false,
      extra: { text: action.text },
    },
  };
}

/** An outcome as the task's timeline and the Update's answer tell it. */
export function summary(outcome: SendOutcome): { status: string; reason?: string; until?: string } {
  return {
    status: outcome.kind,
    ...('reason' in outcome ? { reason: outcome.reason } : {}),
    ...(outcome.kind === 'deferred' ? { until: outcome.until } : {}),
  };
}
