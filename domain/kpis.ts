/**
 * Collection KPIs over a period of calendar days [from, to], both included. Pure: the store
 * gathers the invoices and counts (store/kpi-queries.ts), this computes. Days are UTC days: the
 * period runs from `from` 00:00Z to the day after `to` 00:00Z, and an invoice becomes overdue at
 * 00:00Z the day after its due date. Money stays per currency (never converted); rates are
 * fractions rounded to 4 places, null when their denominator is zero. Cancelled invoices are left
 * out of every figure (the store keeps no cancellation time).
 *
 * - DSO (days sales outstanding), per currency, the receivables/revenue method:
 *   receivables open at the end of `to` ÷ amount invoiced in the period × days in the period.
 * - Ageing of what is open at the end of `to`, per currency, by days past due (`to` − due date):
 *   not yet due (≤ 0), 0–30 (1 to 30), 31–60, 61–90, 90+ (91 and more).
 * - Recovery rate, per currency: of the amount that became overdue in the period (what was still
 *   open when each invoice's due date ended), the share paid by the end of `to`.
 * - Paid before due: of the invoices paid in full in the period, the share paid in full by the
 *   end of their due date (on the due date counts as on time).
 * - Reminders per paid invoice: for those same invoices, the dunning messages sent about each
 *   (each channel counts; a reminder listing two invoices counts for both) until it was paid in
 *   full, on average.
 * - Opt-out rate: contacts with a consent withdrawal in the period ÷ contacts sent a message in
 *   the period (the store counts both; a withdrawal counts only for a contact messaged then).
 */
import { DateTime } from 'luxon';
import { addCalendarDays, daysBetween } from './calendar';
import type { FieldIssue } from './errors';
import { fromMinor } from './money';
import { isCalendarDate, isDateInRange } from './validators';

export interface KpiPeriod {
  from: string;
  to: string;
}

export interface KpiInvoice {
  id: string;
  currency: string;
  amountMinor: number;
  /** UTC date it was issued (or received, when it came without issuedAt). */
  issuedOn: string;
  dueDate: string;
  /** Payments up to the end of the period, in time order. */
  payments: { paidAt: string; amountMinor: number }[];
  /** When each dunning message about it was sent, up to the end of the period. */
  remindersSentAt: string[];
}

export interface KpiInput extends KpiPeriod {
  invoices: KpiInvoice[];
  contactsMessaged: number;
  contactsWithdrew: number;
}

export const AGEING_BUCKETS = ['0-30', '31-60', '61-90', '90+'] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number];

export interface CurrencyKpis {
  dso: { days: number | null; receivables: string; invoiced: string };
  ageing: { notYetDue: string } & Record<AgeingBucket, string>;
  recovery: { becameOverdue: string; recovered: string; rate: number | null };
}

export interface Kpis extends KpiPeriod {
  days: number;
  byCurrency: Record<string, CurrencyKpis>;
  paidBeforeDue: { paidInFull: number; beforeDue: number; share: number | null };
  remindersPerPaidInvoice: { paidInFull: number; reminders: number; average: number | null };
  optOut: { contactsMessaged: number; contactsWithdrew: number; rate: number | null };
}

/** The longest period asked for at once. */
export const MAX_PERIOD_YEARS = 2;

/** The query's period, or the issues naming `query.from` / `query.to`. */
export function parseKpiPeriod(query: { from?: unknown; to?: unknown }): KpiPeriod | FieldIssue[] {
  const issues: FieldIssue[] = [];
  const date = (name: 'from' | 'to'): string | undefined => {
    const value = query[name];
    if (typeof value === 'string' && isCalendarDate(value) && isDateInRange(value)) return value;
    issues.push({ path: `query.${name}`, message: 'a calendar date YYYY-MM-DD such as "2026-05-31"' });
    return undefined;
  };
  const from = date('from');
  const to = date('to');
  if (!from || !to) return issues;
  if (to < from) return [{ path: 'query.to', message: `a date on or after query.from (${from})` }];
  const limit = DateTime.fromISO(from, { zone: 'UTC' }).plus({ years: MAX_PERIOD_YEARS }).toISODate();
  if (limit && to > limit)
    return [
      { path: 'query.to', message: `at most ${MAX_PERIOD_YEARS} years after query.from: ${limit} or before` },
    ];
  return { from, to };
}

const startOf = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);
const ratio = (part: number, whole: number, places = 4) =>
  whole === 0 ? null : Math.round((part / whole) * 10 ** places) / 10 ** places;

/** Paid strictly before the instant (epoch ms). */
function paidBefore(invoice: KpiInvoice, instant: number): number {
  return invoice.payments.reduce((sum, p) => (Date.parse(p.paidAt) < instant ? sum + p.amountMinor : sum), 0);
}

/** When the payments first covered the amount, in epoch ms; undefined while something is due. */
export function paidInFullAt(invoice: KpiInvoice): number | undefined {
  let paid = 0;
  for (const p of invoice.payments) {
    paid += p.amountMinor;
    if (paid >= invoice.amountMinor) return Date.parse(p.paidAt);
  }
  return undefined;
}

function bucketOf(daysPastDue: number): AgeingBucket | 'notYetDue' {
  if (daysPastDue <= 0) return 'notYetDue';
  if (daysPastDue <= 30) return '0-30';
  if (daysPastDue <= 60) return '31-60';
  if (daysPastDue <= 90) return '61-90';
  return '90+';
}

interface Sums {
  receivables: number;
  invoiced: number;
  ageing: Record<AgeingBucket | 'notYetDue', number>;
  becameOverdue: number;
  recovered: number;
}

const emptySums = (): Sums => ({
  receivables: 0,
  invoiced: 0,
  ageing: { notYetDue: 0, '0-30': 0, '31-60': 0, '61-90': 0, '90+': 0 },
  becameOverdue: 0,
  recovered: 0,
});

/** Adds one invoice's money to its currency's sums. */
function addMoney(s: Sums, inv: KpiInvoice, p: KpiPeriod, end: number): void {
  if (inv.issuedOn > p.to) return;
  const openAtEnd = Math.max(0, inv.amountMinor - paidBefore(inv, end));
  s.receivables += openAtEnd;
  if (inv.issuedOn >= p.from) s.invoiced += inv.amountMinor;
  if (openAtEnd > 0) s.ageing[bucketOf(daysBetween(inv.dueDate, p.to))] += openAtEnd;
  const overdueAt = startOf(addCalendarDays(inv.dueDate, 1));
  if (overdueAt < startOf(p.from) || overdueAt >= end) return;
  const overdue = Math.max(0, inv.amountMinor - paidBefore(inv, overdueAt));
  s.becameOverdue += overdue;
  s.recovered += Math.min(overdue, paidBefore(inv, end) - paidBefore(inv, overdueAt));
}

function currencyKpis(s: Sums, currency: string, days: number): CurrencyKpis {
  const money = (minor: number) => fromMinor(minor, currency);
  const dso = s.invoiced === 0 ? null : Math.round((s.receivables / s.invoiced) * days * 10) / 10;
  return {
    dso: { days: dso, receivables: money(s.receivables), invoiced: money(s.invoiced) },
    ageing: {
      notYetDue: money(s.ageing.notYetDue),
      '0-30': money(s.ageing['0-30']),
      '31-60': money(s.ageing['31-60']),
      '61-90': money(s.ageing['61-90']),
      '90+': money(s.ageing['90+']),
    },
    recovery: {
      becameOverdue: money(s.becameOverdue),
      recovered: money(s.recovered),
      rate: ratio(s.recovered, s.becameOverdue),
    },
  };
}

export function computeKpis(input: KpiInput): Kpis {
  const start = startOf(input.from);
  const end = startOf(addCalendarDays(input.to, 1));
  const days = daysBetween(input.from, input.to) + 1;
  const sums = new Map<string, Sums>();
  let paidInFull = 0;
  let beforeDue = 0;
  let reminders = 0;
  for (const inv of input.invoices) {
    const s = sums.get(inv.currency) ?? emptySums();
    sums.set(inv.currency, s);
    addMoney(s, inv, input, end);
    const paidAt = paidInFullAt(inv);
    if (paidAt === undefined || paidAt < start || paidAt >= end) continue;
    paidInFull += 1;
    if (paidAt < startOf(addCalendarDays(inv.dueDate, 1))) beforeDue += 1;
    reminders += inv.remindersSentAt.filter((at) => Date.parse(at) <= paidAt).length;
  }
  const byCurrency = Object.fromEntries(
    [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, s]) => [c, currencyKpis(s, c, days)]),
  );
  return {
    from: input.from,
    to: input.to,
    days,
    byCurrency,
    paidBeforeDue: { paidInFull, beforeDue, share: ratio(beforeDue, paidInFull) },
    remindersPerPaidInvoice: { paidInFull, reminders, average: ratio(reminders, paidInFull, 2) },
    optOut: {
      contactsMessaged: input.contactsMessaged,
      contactsWithdrew: input.contactsWithdrew,
      rate: ratio(input.contactsWithdrew, input.contactsMessaged),
    },
  };
}
