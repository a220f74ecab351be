/**
 * What a customer's reply that needs a person does (contract section 6): it is kept, and
 * - about an invoice sequence still running (the message replied to, else the contact's running
 *   invoice sequence messaged last), it goes to that workflow as an internal `reply.received`
 *   event in the store, in the same transaction: the ordered dispatcher delivers it, so a Temporal
 *   outage loses nothing. The workflow opens its task (or the reply joins the one open) and waits;
 * - otherwise it opens a contact-level task in the store (no workflow, subject kind `contact`), due
 *   by the reason's service level, or joins the contact's task still unresolved.
 * An automatic reply needs no one and opens nothing.
 */
import type { RelanceConfig } from '../config/schema';
import { createHolidayCalendar, type HolidayCalendar } from '../domain/calendar';
import { ErrorCode, RelanceError } from '../domain/errors';
import { handoffDueBy } from '../domain/handoff-due';
import { REPLY_LABELS, type ReplyLabel } from '../domain/reply-labels';
import type { HandoffReason } from '../domain/service-levels';
import { getContact } from '../store/contact-repository';
import type { Db, Sql } from '../store/db';
import { insertEvent, type StoredEvent } from '../store/event-repository';
import { addHandoffEvent, openHandoffTask, unresolvedTaskOf } from '../store/handoff-repository';
import { recordReply, type Reply } from '../store/inbound-repository';
import { runningInvoiceSequenceFor } from '../store/sequence-repository';
import type { ReplyReasonCode } from '../workflows/messages';

/** The internal event type (never accepted from POST /v1/events: its schema does not know it). */
export const REPLY_RECEIVED = 'reply.received';

/** What the internal event holds: ids and labels, never the reply's words. */
export interface ReplyReceivedData {
  replyId: string;
  contactId: string;
  invoiceId: string;
  channel: 'sms' | 'email';
  labels: ReplyLabel[];
  reasonCode: ReplyReasonCode;
  /** Due-by time of a contact-level task, should the sequence end before the reply reaches it. */
  dueBy: string;
}

export type ReplyRouting =
  | { contactId: string; to: 'sequence'; invoiceId: string }
  | { contactId: string; to: 'task'; taskId: number; opened: boolean };

/** The id contact-level tasks are filed under: one unresolved task per contact. */
export const contactTaskId = (contactId: string) => `contact/${contactId}`;

let calendar: HolidayCalendar | undefined;

async function dueByFor(sql: Sql, config: RelanceConfig, contactId: string, reason: string, at: string) {
  const contact = await getContact(sql, contactId);
  const where = {
    timezone: contact?.timezone ?? 'UTC',
    country: contact?.country ?? config.policy.defaultCountry,
  };
  calendar ??= createHolidayCalendar();
  return handoffDueBy(reason, at, where, calendar, config.handoffs.sla);
}

const replyReasonText = (channel: 'sms' | 'email', labels: readonly string[]) =>
  `customer's ${channel === 'sms' ? 'SMS' : 'email'} reply needs a person (${labels.join(', ')})`;

/** Opens the contact's task for a reply, or adds the reply to the one still unresolved. */
export async function contactReplyTask(
  sql: Sql,
  r: Omit<ReplyReceivedData, 'invoiceId'> & { at: string },
): Promise<{ taskId: number; opened: boolean }> {
  const sequenceId = contactTaskId(r.contactId);
  const open = await unresolvedTaskOf(sql, sequenceId);
  const task =
    open ??
    (await openHandoffTask(sql, {
      sequenceId,
      contactId: r.contactId,
      subjectKind: 'contact',
      subjectIds: [r.contactId],
      reasonCode: r.reasonCode,
      reason: replyReasonText(r.channel, r.labels),
      at: r.at,
      dueBy: r.dueBy,
    }));
  await addHandoffEvent(sql, {
    handoffId: task.id,
    at: r.at,
    type: 'reply',
    by: 'customer',
    data: { replyId: r.replyId, channel: r.channel, labels: r.labels },
    key: `reply|${r.replyId}|${task.id}`,
  });
  return { taskId: task.id, opened: !open };
}

/** Sends the reply of each of its contacts where a person will see it (see the file's comment). */
export async function routeReply(
  sql: Sql,
  config: RelanceConfig,
  reply: Reply,
  reason: HandoffReason,
): Promise<ReplyRouting[]> {
  const reasonCode: ReplyReasonCode = reason === 'dunning' ? 'reply' : reason;
  const out: ReplyRouting[] = [];
  for (const contactId of reply.contactIds) {
    const dueBy = await dueByFor(sql, config, contactId, reasonCode, reply.receivedAt);
    const base = {
      replyId: reply.id,
      contactId,
      channel: reply.channel,
      labels: reply.labels,
      reasonCode,
      dueBy,
    };
    const sequence = await runningInvoiceSequenceFor(sql, contactId, reply.inReplyTo);
    if (sequence) {
      const data: ReplyReceivedData = { ...base, invoiceId: sequence.invoiceId };
      const event = {
        id: `reply:${reply.id}:${contactId}`,
        type: REPLY_RECEIVED,
        at: reply.receivedAt,
        data,
      };
      await insertEvent(sql, event, reply.receivedAt);
      out.push({ contactId, to: 'sequence', invoiceId: sequence.invoiceId });
      continue;
    }
    const task = await contactReplyTask(sql, { ...base, at: reply.receivedAt });
    out.push({ contactId, to: 'task', ...task });
  }
  return out;
}

/**
 * Keeps a reply once per provider id and, when it needs a person, routes it, in one transaction:
 * a provider's retry finds it kept and routes nothing again.
 */
export async function keepReply(
  db: Db,
  config: RelanceConfig,
  reply: Reply,
  reason: HandoffReason | undefined,
): Promise<{ fresh: boolean; routed: ReplyRouting[] }> {
  return db.transaction(async (tx) => {
    const fresh = await recordReply(tx, reply);
    if (!fresh || reason === undefined) return { fresh, routed: [] };
    return { fresh, routed: await routeReply(tx, config, reply, reason) };
  });
}

/** The stored event's data, checked again before it reaches a workflow. */
export function replyReceivedOf(event: StoredEvent): ReplyReceivedData {
  const d = event.data;
  const text = (k: string) => (typeof d[k] === 'string' ? d[k] : '');
  const labels = Array.isArray(d['labels'])
    ? d['labels'].filter((l): l is ReplyLabel => (REPLY_LABELS as readonly unknown[]).includes(l))
    : [];
  const reasonCode = d['reasonCode'];
  const channel = d['channel'];
  if (
    !text('replyId') ||
    !text('contactId') ||
    !text('invoiceId') ||
    !text('dueBy') ||
    (reasonCode !== 'reply' && reasonCode !== 'dispute' && reasonCode !== 'complaint') ||
    (channel !== 'sms' && channel !== 'email')
  )
    throw new RelanceError(ErrorCode.InvalidInput, `stored event ${event.id} (${event.type}) is not a reply`);
  return {
    replyId: text('replyId'),
    contactId: text('contactId'),
    invoiceId: text('invoiceId'),
    channel,
    labels,
    reasonCode,
    dueBy: text('dueBy'),
  };
}
