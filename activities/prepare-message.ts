/**
 * Phase one of a send, in one transaction with the contact row locked: find the attempt's ledger
 * row, gather the subjects (merging same-day reminders of the contact's other invoices), ask the
 * policy engine, render, and leave the row in the state the decision calls for.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { DateTime } from 'luxon';
import { ErrorCode } from '../domain/errors';
import { decide } from '../domain/policy/decide';
import type { Channel, MessageIntent, Purpose, SubjectState } from '../domain/policy/types';
import type { SendOutcome } from '../domain/sequence-types';
import { lockContact, type Contact } from '../store/contact-repository';
import type { Sql } from '../store/db';
import { getInvoices, subjectState, type Invoice } from '../store/invoice-repository';
import {
  findByIdempotencyKey,
  insertAttempt,
  updateAttempt,
  type LedgerEntry,
  type LedgerUpdate,
  type NewLedgerEntry,
} from '../store/ledger-repository';
import { coveringMessage, sentWithDedupKey } from '../store/message-history';
import { sequencesDueForStep } from '../store/sequence-repository';
import type { ActivityDeps } from './deps';
import { outcomeOf } from './ledger-outcome';
import { outgoing, render, type OutgoingMessage } from './message-build';
import type { InstallmentContent, OfferContent } from './message-content';
import { policyInput, recipientOf } from './policy-context';

export type DeliverContent =
  | { type: 'dunning'; invoiceIds: string[]; mergeSameDay: boolean }
  | { type: 'installment'; invoiceId: string; installment: InstallmentContent }
  | { type: 'offer'; campaignId: string; offer: OfferContent };

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
  content: DeliverContent;
  /** Ledger id of the attempt this one falls back from. */
  fallbackOf?: string;
}

export type { OutgoingMessage } from './message-build';

export type Prepared =
  | { kind: 'done'; outcome: SendOutcome }
  | { kind: 'send'; row: LedgerEntry; message: OutgoingMessage }
  | { kind: 'confirm'; row: LedgerEntry; message: OutgoingMessage }
  | { kind: 'template_error'; key: string; error: string };

export function idempotencyKey(input: DeliverInput): string {
  return `${input.sequenceId}|${input.step}|${input.channel}|r${input.round}${input.fallbackOf ? '|fallback' : ''}`;
}

export async function prepareMessage(
  deps: ActivityDeps,
  input: DeliverInput,
  now: string,
): Promise<Prepared> {
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
      subjectIds: subjectIdsOf(input.content),
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

    const covered = await coveredToday(tx, input, contact, now);
    if (covered) {
      const row = await save({
        status: 'suppressed',
        reason: 'duplicate',
        decidedAt: now,
        decision: [covered],
      });
      return { kind: 'done', outcome: outcomeOf(row) };
    }
    const invoices = await subjectInvoices(tx, input, contact, now);
    const subjects: SubjectState[] = invoices.map(subjectState);
    const policy = await policyInput(tx, {
      now,
      contact,
      channel: input.channel,
      purpose: input.purpose,
      kind: input.kind,
      dedupKey: entry.dedupKey,
      subjects,
      validUntil: validUntilOf(input.content),
      config: deps.config,
      calendar: deps.calendar,
    });
    // Dedup looks back further than the caps: a step sent weeks ago, before a pause, stays sent.
    const earlier = await sentWithDedupKey(tx, entry.dedupKey);
    if (earlier) policy.history.push(earlier);
    const decision = decide(policy);
    const subjectIds = invoices.length > 0 ? invoices.map((i) => i.id) : entry.subjectIds;
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
          rendered = render(deps, input, contact, invoices, now);
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

function subjectIdsOf(content: DeliverContent): string[] {
  switch (content.type) {
    case 'dunning':
      return content.invoiceIds;
    case 'installment':
      return [content.invoiceId];
    case 'offer':
      return [content.campaignId];
  }
}

/** The last local date the content is worth sending: an offer's validUntil. */
function validUntilOf(content: DeliverContent): string | undefined {
  return content.type === 'offer' ? (content.offer.validUntil ?? undefined) : undefined;
}

function localDay(now: string, zone: string): { from: string; to: string } {
  const start = DateTime.fromISO(now, { zone }).startOf('day');
  return { from: start.toUTC().toISO() ?? now, to: start.plus({ days: 1 }).toUTC().toISO() ?? now };
}

/** Another sequence's message already covered this invoice for this step today (merged). */
async function coveredToday(tx: Sql, input: DeliverInput, contact: Contact, now: string) {
  if (input.content.type !== 'dunning' || !input.content.mergeSameDay) return undefined;
  const [invoiceId] = input.content.invoiceIds;
  if (!invoiceId) return undefined;
  const day = localDay(now, contact.timezone);
  const cover = await coveringMessage(tx, {
    contactId: contact.id,
    step: input.step,
    channel: input.channel,
    subjectId: invoiceId,
    ...day,
    excludeSequence: input.sequenceId,
  });
  return cover
    ? {
        rule: 'dedup' as const,
        ok: false,
        detail: `covered by message ${cover.id}, which listed ${cover.subjectIds.join(', ')}`,
      }
    : undefined;
}

/** The invoices a dunning message covers: its own, plus the contact's others due the same step today. */
async function subjectInvoices(
  tx: Sql,
  input: DeliverInput,
  contact: Contact,
  now: string,
): Promise<Invoice[]> {
  const content = input.content;
  if (content.type === 'offer') return [];
  if (content.type === 'installment') return getInvoices(tx, [content.invoiceId]);
  const own = await getInvoices(tx, content.invoiceIds);
  if (!content.mergeSameDay || input.purpose !== 'transactional') return own;
  const day = localDay(now, contact.timezone);
  const others = await sequencesDueForStep(tx, contact.id, input.step, day.from, day.to, input.sequenceId);
  const currency = own[0]?.currency;
  const extra = (
    await getInvoices(
      tx,
      others.map((s) => s.subjectId),
    )
  ).filter(
    (i) => i.currency === currency && subjectState(i).condition === 'open' && !own.some((o) => o.id === i.id),
  );
  return [...own, ...extra];
}
