/**
 * What each accepted event does to the store, checked against what the store already holds (and
 * what earlier events of the same batch did). Runs inside the batch's transaction: an issue
 * anywhere rolls the whole batch back.
 */
import { DateTime } from 'luxon';
import type { RelanceConfig } from '../config/schema';
import { addCalendarDays } from '../domain/calendar';
import type { FieldIssue } from '../domain/errors';
import type { RelanceEvent } from '../domain/events';
import { amountProblem, toMinor } from '../domain/money';
import { appendConsent, getContact, setDoNotContact, upsertContact } from '../store/contact-repository';
import type { Sql } from '../store/db';
import { latestSchedule, latestSchedules, type ScheduleVersion } from '../store/schedule-repository';
import type { TemplateRegistry } from '../templates/registry';
import { scrubStoredEvent } from '../store/erasure-repository';
import { checkCampaign, controlCampaign, recordCampaign } from './campaign-events';
import { ACCOUNTING_FACTS, applyErasure, erasedMessage, liveContact } from './erasure';
import { applyItemEvent, isItemEvent, type ItemEvent } from './apply-item-event';
import {
  cancelInvoice,
  getInvoice,
  insertInvoice,
  recordPayment,
  setDispute,
  setPlan,
  setPromise,
  type Invoice,
} from '../store/invoice-repository';

export interface ApplyContext {
  tx: Sql;
  config: RelanceConfig;
  /** Known templates, to refuse a campaign naming one that does not exist or is not marketing. */
  templates?: TemplateRegistry;
  eventId: string;
  at: string;
  receivedAt: string;
  /** Path prefix of this event in the request, for error messages ("[2]" or ""). */
  path: string;
  issues: FieldIssue[];
  /** Schedules already looked up by this request (its transaction cannot see them change). */
  schedules?: Map<string, ScheduleVersion | undefined>;
}

/** Applies one event; returns a note for the response when the event changed nothing. */
export async function applyEvent(event: RelanceEvent, ctx: ApplyContext): Promise<string | undefined> {
  const { tx } = ctx;
  const issue = (field: string, message: string) => {
    ctx.issues.push({ path: `${ctx.path}${ctx.path ? '.' : ''}data.${field}`, message });
    return undefined;
  };
  if (isItemEvent(event)) return applyItemEvent(event, ctx, issue);
  switch (event.type) {
    case 'contact.upserted': {
      const existing = await getContact(tx, event.data.id);
      if (existing?.erasedAt) return issue('id', erasedMessage(existing));
      await upsertContact(tx, event.data, ctx.at);
      return undefined;
    }
    case 'contact.erased':
      return applyErasure(tx, event.data.contactId, ctx.receivedAt, issue);
    case 'contact.consent': {
      const d = event.data;
      if (!(await liveContact(tx, d.contactId, issue))) return undefined;
      await appendConsent(tx, {
        contactId: d.contactId,
        channel: d.channel,
        purpose: d.purpose,
        granted: d.granted,
        source: d.source,
        legalBasis: d.legalBasis ?? (d.purpose === 'marketing' ? 'consent' : 'contract'),
        at: ctx.at,
        receivedAt: ctx.receivedAt,
        eventId: ctx.eventId,
      });
      return undefined;
    }
    case 'contact.do_not_contact': {
      const d = event.data;
      if (!(await liveContact(tx, d.contactId, issue))) return undefined;
      await setDoNotContact(tx, d.contactId, d.flagged, d.reason ?? 'other', ctx.at);
      return undefined;
    }
    case 'invoice.issued':
      return issueInvoice(event.data, ctx, issue);
    case 'campaign.scheduled':
      await checkCampaign(event.data, ctx, issue);
      return recordCampaign(event.data, ctx, issue);
    case 'campaign.paused':
    case 'campaign.resumed':
    case 'campaign.cancelled':
      return controlCampaign(event.type, event.data.campaignId, ctx, issue);
    default:
      return applyInvoiceFact(event, ctx, issue);
  }
}

type Issue = (field: string, message: string) => undefined;

/** A batch of 500 invoices on one schedule reads that schedule once. */
async function latestScheduleOnce(
  ctx: ApplyContext,
  scheduleId: string,
): Promise<ScheduleVersion | undefined> {
  if (ctx.schedules?.has(scheduleId)) return ctx.schedules.get(scheduleId);
  const latest = await latestSchedule(ctx.tx, ctx.config, scheduleId);
  ctx.schedules?.set(scheduleId, latest);
  return latest;
}

async function issueInvoice(
  d: Extract<RelanceEvent, { type: 'invoice.issued' }>['data'],
  ctx: ApplyContext,
  issue: Issue,
): Promise<string | undefined> {
  const contact = await getContact(ctx.tx, d.contactId);
  if (!contact)
    issue(
      'contactId',
      `unknown contact "${d.contactId}": send contact.upserted first (or earlier in the batch)`,
    );
  else if (contact.erasedAt) return issue('contactId', erasedMessage(contact));
  const problem = amountProblem(d.amount, d.currency);
  if (problem) issue('amount', `expected ${problem}`);
  else if (toMinor(d.amount, d.currency) === 0) issue('amount', 'expected an amount above zero');
  const scheduleId = d.schedule ?? ctx.config.defaultSchedule;
  // Configured in the YAML or created through PUT /v1/schedules/{id}; an invoice schedule only.
  const isInvoiceSchedule = (version: ScheduleVersion | undefined) =>
    version !== undefined && (version.schedule.kind ?? 'invoice') === 'invoice';
  const knownSchedule = isInvoiceSchedule(await latestScheduleOnce(ctx, scheduleId));
  if (!knownSchedule) {
    const known = (await latestSchedules(ctx.tx, ctx.config)).filter(isInvoiceSchedule);
    issue(
      'schedule',
      `unknown invoice schedule "${scheduleId}"; known: ${known.map((v) => v.scheduleId).join(', ')}`,
    );
  }
  if (!contact || problem || !knownSchedule) return undefined;
  const inserted = await insertInvoice(
    ctx.tx,
    {
      id: d.id,
      contactId: d.contactId,
      number: d.number ?? null,
      amountMinor: toMinor(d.amount, d.currency),
      currency: d.currency,
      issuedAt: d.issuedAt ?? null,
      dueDate: d.dueDate,
      paymentUrl: d.paymentUrl ?? null,
      scheduleId,
    },
    ctx.at,
  );
  return inserted ? undefined : `invoice ${d.id} was already issued: its sequence is not started twice`;
}

async function applyInvoiceFact(
  event: Exclude<
    RelanceEvent,
    {
      type:
        | 'contact.upserted'
        | 'contact.consent'
        | 'contact.do_not_contact'
        | 'contact.erased'
        | 'invoice.issued'
        | 'campaign.scheduled'
        | ItemEvent['type']
        | 'campaign.paused'
        | 'campaign.resumed'
        | 'campaign.cancelled';
    }
  >,
  ctx: ApplyContext,
  issue: Issue,
): Promise<string | undefined> {
  const invoice = await getInvoice(ctx.tx, event.data.invoiceId);
  if (!invoice) return issue('invoiceId', `unknown invoice "${event.data.invoiceId}"`);
  const owner = await getContact(ctx.tx, invoice.contactId);
  if (owner?.erasedAt) {
    if (!ACCOUNTING_FACTS.has(event.type)) return issue('invoiceId', erasedMessage(owner));
    // Recorded for the accounts, with no free text kept in the event store.
    await scrubStoredEvent(ctx.tx, { id: ctx.eventId, type: event.type, data: event.data });
  }
  const money = (field: string, amount: string): number | undefined => {
    const problem = amountProblem(amount, invoice.currency);
    if (problem) return issue(field, `expected ${problem}`);
    return toMinor(amount, invoice.currency);
  };
  switch (event.type) {
    case 'invoice.payment': {
      const minor = money('amount', event.data.amount);
      if (minor === undefined) return undefined;
      if (minor === 0) return issue('amount', 'expected an amount above zero');
      await recordPayment(ctx.tx, {
        invoiceId: invoice.id,
        amountMinor: minor,
        paidAt: event.data.paidAt ?? ctx.at,
        eventId: ctx.eventId,
      });
      return invoice.status === 'open'
        ? undefined
        : `invoice ${invoice.id} is already ${invoice.status}: payment recorded`;
    }
    case 'invoice.payment_plan':
      return applyPlan(event.data.installments, invoice, ctx, money, issue);
    case 'invoice.disputed':
      await setDispute(ctx.tx, invoice.id, 'open', event.data.reason ?? null, ctx.at);
      return undefined;
    case 'invoice.dispute_resolved':
      if (invoice.disputeStatus !== 'open')
        return issue('invoiceId', `invoice "${invoice.id}" has no open dispute`);
      await setDispute(ctx.tx, invoice.id, event.data.outcome, null, ctx.at);
      return undefined;
    case 'invoice.promise_to_pay': {
      const minor = event.data.amount === undefined ? null : money('amount', event.data.amount);
      const dateOk = await checkPromisedDate(event.data.promisedDate, invoice, ctx, issue);
      if (minor === undefined || !dateOk) return undefined;
      await setPromise(ctx.tx, invoice.id, event.data.promisedDate, minor, ctx.at);
      return undefined;
    }
    case 'invoice.cancelled':
      await cancelInvoice(
        ctx.tx,
        invoice.id,
        (!owner?.erasedAt && event.data.reason) || 'cancelled', // no free text about an erased contact
        ctx.at,
      );
      return undefined;
  }
}

/**
 * A promised date lies between the contact-local date of the promise and the configured horizon:
 * a date already past would resume escalation at once, a far one would pause it for months.
 */
async function checkPromisedDate(
  promisedDate: string,
  invoice: Invoice,
  ctx: ApplyContext,
  issue: Issue,
): Promise<boolean> {
  const contact = await getContact(ctx.tx, invoice.contactId);
  const zone = contact?.timezone ?? 'UTC';
  // Today by Relance's clock, not the event's own `at`: a promise dated back in time whose date
  // has already passed would otherwise lapse as soon as it is applied.
  const today = DateTime.fromISO(ctx.receivedAt, { zone }).toISODate() ?? ctx.receivedAt.slice(0, 10);
  const horizonDays = ctx.config.policy.promiseToPayMaxHorizonDays;
  const latest = addCalendarDays(today, horizonDays);
  if (promisedDate < today) {
    issue('promisedDate', `expected a date from ${today} (today for the contact) onwards`);
    return false;
  }
  if (promisedDate > latest) {
    issue('promisedDate', `expected a date at most ${horizonDays} days ahead (${latest} at the latest)`);
    return false;
  }
  return true;
}

async function applyPlan(
  installments: { dueDate: string; amount: string }[],
  invoice: Invoice,
  ctx: ApplyContext,
  money: (field: string, amount: string) => number | undefined,
  issue: Issue,
): Promise<string | undefined> {
  if (invoice.status !== 'open')
    return issue('invoiceId', `invoice "${invoice.id}" is ${invoice.status}: no plan needed`);
  const minors = installments.map((i, index) => money(`installments[${index}].amount`, i.amount));
  installments.forEach((i, index) => {
    const previous = installments[index - 1];
    if (previous && i.dueDate <= previous.dueDate)
      issue(
        `installments[${index}].dueDate`,
        `expected a date after ${previous.dueDate} (installments in date order)`,
      );
  });
  if (minors.some((m) => m === undefined)) return undefined;
  const total = minors.reduce<number>((sum, m) => sum + (m ?? 0), 0);
  if (total < invoice.dueMinor)
    return issue(
      'installments',
      `expected installments adding up to at least the amount due (${invoice.dueMinor} minor units); they add up to ${total}`,
    );
  await setPlan(
    ctx.tx,
    invoice.id,
    installments.map((i, index) => ({ dueDate: i.dueDate, amountMinor: minors[index] ?? 0 })),
    ctx.at,
  );
  return undefined;
}
