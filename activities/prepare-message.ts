/**
 * Phase one of a send, in one transaction with the contact row locked: find the attempt's ledger
 * row, ask the message's kind for its subjects (it may merge same-day ones), ask the policy
 * engine, render, and leave the row in the state the decision calls for.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { ErrorCode } from '../domain/errors';
import { decide } from '../domain/policy/decide';
import type { Channel, MessageIntent, Purpose } from '../domain/policy/types';
import type { SendOutcome } from '../domain/sequence-types';
import type { KindContext, KindRegistry, SubjectContent } from '../kinds/kind';
import { lockContact } from '../store/contact-repository';
import type { SequenceProjection } from '../store/sequence-repository';
import {
  findByIdempotencyKey,
  insertAttempt,
  updateAttempt,
  type LedgerEntry,
  type LedgerUpdate,
  type NewLedgerEntry,
} from '../store/ledger-repository';
import type { ActivityDeps } from './deps';
import { outcomeOf } from './ledger-outcome';
import { outgoing, render, type OutgoingMessage } from './message-build';
import { policyInput, recipientOf } from './policy-context';
import { kindOf, normaliseContent } from './subject-content';

export interface DeliverInput {
  sequenceId: string;
  sequenceType: string;
  step: string;
  /** Bumped when a paused sequence resumes, so the step may be tried again (dedup still applies). */
  round: number;
  channel: Channel;
  template: string;
  purpose: Purpose;
  kind: MessageIntent['kind'];
  contactId: string;
  plannedAt: string;
  /** What the message is about; older forms from running workflows are read by normaliseInput. */
  content: SubjectContent;
  /** Ledger id of the attempt this one falls back from. */
  fallbackOf?: string;
  /** The workflow's time when it asked, for a first attempt run as a local activity (see activityNow). */
  workflowTime?: string;
  /**
   * The sequence's projection once this message has left and ended its step: recorded with the
   * send when the outcome is `sent`, which saves the workflow a call of its own (it checks the
   * projection it then holds against this one, and records its own when they differ).
   */
  reportIfSent?: Omit<SequenceProjection, 'completedAt'>;
}

export type { OutgoingMessage } from './message-build';

export type Prepared =
  | { kind: 'done'; outcome: SendOutcome }
  | { kind: 'send'; row: LedgerEntry; message: OutgoingMessage }
  | { kind: 'confirm'; row: LedgerEntry; message: OutgoingMessage }
  | { kind: 'template_error'; key: string; error: string };

/** The input with its content in the current form (see subject-content.ts). */
export function normaliseInput(input: DeliverInput, kinds: KindRegistry): DeliverInput {
  return { ...input, content: normaliseContent(input.content, kinds) };
}

export function idempotencyKey(input: DeliverInput): string {
  return `${input.sequenceId}|${input.step}|${input.channel}|r${input.round}${input.fallbackOf ? '|fallback' : ''}`;
}

export async function prepareMessage(
  deps: ActivityDeps,
  given: DeliverInput,
  now: string,
): Promise<Prepared> {
  const input = normaliseInput(given, deps.kinds);
  const kind = kindOf(input.content, deps.kinds);
  const key = idempotencyKey(input);
  return deps.db.transaction(async (tx) => {
    const contact = await lockContact(tx, input.contactId);
    if (!contact)
      throw ApplicationFailure.nonRetryable(`Contact ${input.contactId} not found`, ErrorCode.NotFound);
    const existing = await findByIdempotencyKey(tx, key);
    // Final rows answer a retry as they are; "paused" is not final: the pause ends, the step goes.
    const final =
      existing &&
      (['sent', 'failed'].includes(existing.status) ||
        (existing.status === 'suppressed' && existing.reason !== 'paused'));
    if (existing && final) return { kind: 'done', outcome: outcomeOf(existing) };
    if (existing?.status === 'sending' && contact.erasedAt) {
      // Erased while the provider was answering: its address is gone, so nothing is confirmed or
      // sent again; the attempt is closed as the policy would now decide.
      await updateAttempt(
        tx,
        existing.id,
        { status: 'suppressed', reason: 'do_not_contact', decidedAt: now },
        now,
      );
      return {
        kind: 'done',
        outcome: outcomeOf({ ...existing, status: 'suppressed', reason: 'do_not_contact' }),
      };
    }
    if (existing?.status === 'sending') {
      return { kind: 'confirm', row: existing, message: outgoing(deps, input, contact, existing) };
    }
    const recipient = recipientOf(contact, input.channel);
    const entry: NewLedgerEntry = {
      idempotencyKey: key,
      dedupKey: `${input.sequenceId}|${input.step}|${input.channel}|${recipient.address ?? '-'}`,
      sequenceId: input.sequenceId,
      sequenceType: input.sequenceType,
      step: input.step,
      channel: input.channel,
      purpose: input.purpose,
      contactId: contact.id,
      recipient: recipient.address ?? null,
      subjectIds: input.content.subjectIds,
      template: input.template,
      locale: deps.templates.resolveLocale(input.template, input.channel, contact.locale),
      plannedAt: input.plannedAt,
      fallbackOf: input.fallbackOf ?? null,
    };
    const save = async (update: LedgerUpdate): Promise<LedgerEntry> => {
      if (!existing) return insertAttempt(tx, entry, update);
      await updateAttempt(tx, existing.id, { ...update, countAttempt: true }, now);
      return (await findByIdempotencyKey(tx, key)) ?? existing;
    };

    const ctx: KindContext = {
      tx,
      config: deps.config,
      contact,
      now,
      message: {
        sequenceId: input.sequenceId,
        sequenceType: input.sequenceType,
        step: input.step,
        channel: input.channel,
        purpose: input.purpose,
        content: input.content,
      },
    };
    const covered = await kind.coveredToday?.(ctx);
    if (covered) {
      const row = await save({
        status: 'suppressed',
        reason: 'duplicate',
        decidedAt: now,
        decision: [covered],
      });
      return { kind: 'done', outcome: outcomeOf(row) };
    }
    const loaded = await kind.loadSubjects(ctx);
    const policy = await policyInput(tx, {
      now,
      contact,
      channel: input.channel,
      purpose: input.purpose,
      kind: input.kind,
      dedupKey: entry.dedupKey,
      subjects: loaded.subjects,
      validUntil: loaded.validUntil,
      deferWhenCapped: loaded.deferWhenCapped,
      config: deps.config,
      calendar: deps.calendar,
    });
    const decision = decide(policy);
    const subjectIds = loaded.subjectIds.length > 0 ? loaded.subjectIds : entry.subjectIds;
    switch (decision.kind) {
      case 'suppress': {
        const row = await save({
          status: 'suppressed',
          reason: decision.reason,
          decision: decision.checks,
          decidedAt: now,
          subjectIds,
        });
        return { kind: 'done', outcome: outcomeOf(row) };
      }
      case 'defer': {
        const row = await save({
          status: 'deferred',
          deferredUntil: decision.until,
          decision: decision.checks,
          decidedAt: now,
          subjectIds,
        });
        return { kind: 'done', outcome: outcomeOf(row) };
      }
      case 'send': {
        let rendered;
        try {
          rendered = render(deps, kind, ctx, loaded, input.template);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          await save({
            status: 'failed',
            reason: null,
            error: message,
            decision: decision.checks,
            decidedAt: now,
            subjectIds,
          });
          return { kind: 'template_error', key, error: message };
        }
        const row = await save({
          status: 'sending',
          decision: decision.checks,
          decidedAt: now,
          subjectIds,
          subject: rendered.subject ?? null,
          text: rendered.text,
          html: rendered.html ?? null,
          reason: null,
          error: null,
        });
        return { kind: 'send', row, message: outgoing(deps, input, contact, row) };
      }
    }
  });
}
