/**
 * Every signal and query of Relance's workflows, and the ids workflows run under. Clients (API,
 * dispatcher, simulator) import this file, never workflow bodies.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const TASK_QUEUE = 'relance';

/** A fact about an invoice, forwarded from an accepted event (deduplicated by eventId). */
export interface InvoiceEventSignal {
  eventId: string;
  type:
    | 'invoice.payment'
    | 'invoice.payment_plan'
    | 'invoice.disputed'
    | 'invoice.dispute_resolved'
    | 'invoice.promise_to_pay'
    | 'invoice.cancelled'
    | 'contact.do_not_contact'
    | 'contact.erased';
  at: string;
  data: Record<string, unknown>;
}

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
}

export const dunningStateQuery = defineQuery<DunningState>('dunningState');

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
export * from './campaign-messages';
