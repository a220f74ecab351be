/** How stored records look on the wire: money as decimal strings, instants as UTC ISO. */
import { fromMinor } from '../domain/money';
import type { ContactRecord } from '../store/contact-export';
import type { Handoff } from '../store/handoff-repository';
import type { Invoice } from '../store/invoice-repository';
import type { LedgerEntry } from '../store/ledger-repository';
import type { SequenceProjection } from '../store/sequence-repository';
import { itemView } from './item-views';

export function invoiceView(i: Invoice) {
  const money = (minor: number) => fromMinor(minor, i.currency);
  return {
    id: i.id,
    contactId: i.contactId,
    number: i.number,
    amount: money(i.amountMinor),
    amountPaid: money(i.paidMinor),
    amountDue: money(i.dueMinor),
    currency: i.currency,
    issuedAt: i.issuedAt,
    dueDate: i.dueDate,
    paymentUrl: i.paymentUrl,
    schedule: i.scheduleId,
    status: i.status,
    closedReason: i.closedReason,
    dispute: i.disputeStatus ? { status: i.disputeStatus, reason: i.disputeReason } : null,
    paymentPlan: i.plan
      ? {
          status: i.planStatus,
          installments: i.plan.map((p) => ({ dueDate: p.dueDate, amount: money(p.amountMinor) })),
        }
      : null,
    promiseToPay: i.promiseDate
      ? {
          date: i.promiseDate,
          amount: i.promiseAmountMinor === null ? null : money(i.promiseAmountMinor),
          status: i.promiseStatus,
        }
      : null,
    updatedAt: i.updatedAt,
  };
}

export function sequenceView(s: SequenceProjection) {
  return {
    id: s.id,
    type: s.type,
    status: s.status,
    stage: s.stage,
    outcome: s.outcome,
    pausedReason: s.pausedReason,
    next: s.nextStep ? { step: s.nextStep, at: s.nextAt } : null,
    steps: s.steps,
    escalation: s.escalation,
    startedAt: s.startedAt,
    updatedAt: s.updatedAt,
    completedAt: s.completedAt,
  };
}

export function messageView(m: LedgerEntry) {
  return {
    id: m.id,
    sequenceId: m.sequenceId,
    step: m.step,
    channel: m.channel,
    purpose: m.purpose,
    to: m.recipient,
    subjectIds: m.subjectIds,
    status: m.status,
    reason: m.reason,
    plannedAt: m.plannedAt,
    deferredUntil: m.deferredUntil,
    sentAt: m.sentAt,
    subject: m.subject,
    text: m.text,
    provider: m.provider,
    providerId: m.providerId,
    deliveryStatus: m.deliveryStatus,
    fallbackOf: m.fallbackOf,
    decision: m.decision,
    error: m.error,
  };
}

export function handoffView(h: Handoff) {
  return {
    id: h.id,
    sequenceId: h.sequenceId,
    subjectIds: h.subjectIds,
    reason: h.reason,
    reasonCode: h.reasonCode,
    at: h.at,
    status: h.status,
    owner: h.owner,
    dueBy: h.dueBy,
    resolution: h.resolution,
    resolvedAt: h.resolvedAt,
  };
}

/** GET /v1/contacts/{id}/export: everything held about a contact, as the other views show it. */
export function contactExportView(r: ContactRecord, exportedAt: string) {
  const { contact } = r;
  return {
    exportedAt,
    contact: {
      id: contact.id,
      firstName: contact.firstName,
      lastName: contact.lastName,
      email: contact.email,
      phone: contact.phone,
      locale: contact.locale,
      timezone: contact.timezone,
      country: contact.country,
      tags: contact.tags,
      attributes: contact.attributes,
      erasedAt: contact.erasedAt,
    },
    doNotContact: { flagged: contact.doNotContact, reason: contact.doNotContactReason },
    consents: r.consents,
    invoices: r.invoices.map(({ invoice, payments }) => ({
      ...invoiceView(invoice),
      payments: payments.map((p) => ({
        amount: fromMinor(p.amountMinor, invoice.currency),
        paidAt: p.paidAt,
        eventId: p.eventId,
      })),
    })),
    items: r.items.map(({ item, renewals }) => itemView(item, renewals)),
    sequences: r.sequences.map(sequenceView),
    messages: r.messages.map((m) => ({ ...messageView(m), html: m.html })),
    handoffs: r.handoffs.map(handoffView),
    replies: r.replies,
    suppressions: r.suppressions,
    events: r.events,
  };
}
