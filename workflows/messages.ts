/**
 * Every signal and query of Relance's workflows, and the ids workflows run under. Clients (API,
 * dispatcher, simulator) import this file, never workflow bodies.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EventOf } from '../domain/events';
import type { HandoffAction, HandoffTaskState } from '../domain/handoff-actions';

export const TASK_QUEUE = 'relance';

/** The event types an invoice's dunning workflow is told of. */
export type InvoiceSignalType =
  | 'invoice.payment'
  | 'invoice.payment_plan'
  | 'invoice.disputed'
  | 'invoice.dispute_resolved'
  | 'invoice.promise_to_pay'
  | 'invoice.cancelled'
  | 'contact.do_not_contact'
  | 'contact.erased'
  | 'reply.received';

/** The reason of the task a customer's reply opens (handoffs.sla): a dispute, a complaint, or a reply. */
export type ReplyReasonCode = 'reply' | 'dispute' | 'complaint';

/**
 * A customer's reply that needs a person, about this invoice: its id (the words stay in the
 * store: contact data never reaches Temporal's history in plain text), its labels and reason.
 */
export interface ReplySignalData {
  invoiceId: string;
  replyId: string;
  labels: string[];
  reasonCode: ReplyReasonCode;
}

/** What each signal carries: the event's validated data; an erasure carries the contact's id only. */
export type InvoiceSignalData<T extends InvoiceSignalType> = T extends 'contact.erased'
  ? { contactId: string }
  : T extends 'reply.received'
    ? ReplySignalData
    : EventOf<Exclude<T, 'reply.received'>>['data'];

/**
 * A fact about an invoice, forwarded from an accepted event (deduplicated by eventId), its `data`
 * typed by its `type`. The signal's name, 'invoiceEvent', and its JSON are what they were before
 * the data was typed: running workflows and recorded histories read the same payloads.
 */
export type InvoiceEventSignal = {
  [T in InvoiceSignalType]: { eventId: string; type: T; at: string; data: InvoiceSignalData<T> };
}[InvoiceSignalType];

export type InvoiceSignalOf<T extends InvoiceSignalType> = Extract<InvoiceEventSignal, { type: T }>;

export const invoiceEventSignal = defineSignal<[InvoiceEventSignal]>('invoiceEvent');

export type DunningMode = 'escalating' | 'payment_plan' | 'promise' | 'disputed';

export interface DunningStepState {
  id: string;
  at: string;
  status: 'pending' | 'done' | 'skipped';
  outcomes: { channel: string; status: string; reason?: string; messageId: string }[];
}

export interface DunningState {
  invoiceId: string;
  contactId: string;
  status: 'running' | 'paused' | 'completed';
  mode: DunningMode;
  outcome: string | null;
  pausedReason: string | null;
  nextStep: string | null;
  nextAt: string | null;
  escalation: number;
  steps: DunningStepState[];
  installments: {
    index: number;
    kind: 'reminder' | 'check';
    at: string;
    status: 'pending' | 'done' | 'missed' | 'kept';
  }[];
  /** The hand-off task the sequence waits on, or the last one it had (absent before tasks). */
  task?: HandoffTaskState | null;
}

export const dunningStateQuery = defineQuery<DunningState>('dunningState');

/** What an agent's action answers: the task as it now stands, and the message it sent, if any. */
export interface HandoffActionResult {
  task: HandoffTaskState;
  message?: { channel: string; status: string; reason?: string; until?: string; messageId: string };
}

/**
 * An agent's action on the sequence's open hand-off task (contract section 6). Its validator
 * refuses synchronously (ApplicationFailure typed CONFLICT or INVALID_INPUT, details[0] the field
 * issues) and nothing changes; an accepted action answers once the workflow has applied it.
 */
export const handoffActionUpdate = defineUpdate<HandoffActionResult, [HandoffAction]>('handoffAction');

export interface DunningInput {
  invoiceId: string;
  contactId: string;
}

export const dunningWorkflowId = (invoiceId: string) => `invoice-dunning/${invoiceId}`;

/** One campaign message to one contact. */
export interface CampaignMessageInput {
  campaignId: string;
  contactId: string;
  template: string;
  channels: ('email' | 'sms')[];
  /** When the campaign should go out (the policy may still move it); now when absent. */
  sendAt: string | null;
  content: { title: string; body: string; url: string; validUntil: string | null };
}

export const campaignWorkflowId = (campaignId: string, contactId: string) =>
  `campaign/${campaignId}/${contactId}`;

/** The sequence type of each expiring kind (contract §4), as the output and the workflow ids name it. */
export const EXPIRY_SEQUENCE_TYPES = {
  card: 'card-expiry',
  voucher: 'voucher-expiry',
  points: 'points-expiry',
} as const;

/** One expiring item's sequence: the item, its contact and the date the sequence runs for. */
export interface ExpiryInput {
  /** The sequence kind (`card`, `voucher`, `points`, or a kind a deployment registered). */
  kind: string;
  itemId: string;
  contactId: string;
  /** YYYY-MM-DD, contact-local: the date this sequence reminds of (a renewal starts another). */
  expiresOn: string;
  sequenceType: string;
}

/** `card-expiry/CARD-1/2026-10-31`: a renewal moves the date, so the new sequence has a new id. */
export const expiryWorkflowId = (sequenceType: string, itemId: string, expiresOn: string) =>
  `${sequenceType}/${itemId}/${expiresOn}`;

interface ItemSignalBase {
  eventId: string;
  at: string;
}

/** A fact about an item or its contact, forwarded from an accepted event (deduplicated by eventId). */
export type ItemEventSignal = ItemSignalBase &
  (
    | { type: 'card.renewed'; data: { cardId: string; expiresOn: string } }
    | { type: 'card.removed'; data: { cardId: string } }
    | { type: 'voucher.redeemed'; data: { voucherId: string } }
    | { type: 'voucher.cancelled'; data: { voucherId: string } }
    | { type: 'points.used'; data: { lotId: string; points: number } }
    | { type: 'contact.do_not_contact'; data: { contactId: string; flagged: boolean } }
    | { type: 'contact.erased'; data: { contactId: string } }
  );

export const itemEventSignal = defineSignal<[ItemEventSignal]>('itemEvent');

/** How an item's sequence ended (contract §4), or null while it runs. */
export type ExpiryOutcome = 'renewed' | 'redeemed' | 'used' | 'cancelled' | 'expired' | 'erased';

export interface ExpiryState {
  kind: string;
  itemId: string;
  contactId: string;
  expiresOn: string;
  status: 'running' | 'completed';
  outcome: ExpiryOutcome | null;
  nextStep: string | null;
  nextAt: string | null;
  steps: DunningStepState[];
}

export const expiryStateQuery = defineQuery<ExpiryState>('expiryState');
export * from './campaign-messages';
