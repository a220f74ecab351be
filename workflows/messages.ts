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
  | 'contact.erased';

/** What each signal carries: the event's validated data; an erasure carries the contact's id only. */
export type InvoiceSignalData<T extends InvoiceSignalType> = T extends 'contact.erased'
  ? { contactId: string }
  : EventOf<T>['data'];

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
