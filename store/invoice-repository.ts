/** Invoices and their payments, plan, dispute and promise: the facts the dunning sequence obeys. */
import type { SubjectState } from '../domain/policy/types';
import { iso, isoOrNull, type Sql } from './db';

export interface Installment {
  dueDate: string;
  amountMinor: number;
}

export interface Invoice {
  id: string;
  contactId: string;
  number: string | null;
  amountMinor: number;
  paidMinor: number;
  dueMinor: number;
  currency: string;
  issuedAt: string | null;
  dueDate: string;
  paymentUrl: string | null;
  scheduleId: string;
  status: 'open' | 'paid' | 'cancelled';
  closedReason: string | null;
  disputeStatus: 'open' | 'customer_right' | 'invoice_upheld' | null;
  disputeReason: string | null;
  plan: Installment[] | null;
  planStatus: 'active' | 'broken' | 'completed' | null;
  /** Paid when the plan was agreed: installments count payments made since. */
  planPaidBaseMinor: number;
  promiseDate: string | null;
  promiseAmountMinor: number | null;
  /** Paid when the promise was recorded: the promise is kept by payments made since. */
  promisePaidBaseMinor: number | null;
  promiseStatus: 'active' | 'kept' | 'broken' | 'superseded' | null;
  updatedAt: string;
}

interface InvoiceRow {
  id: string;
  contact_id: string;
  number: string | null;
  amount_minor: number;
  paid_minor: number;
  currency: string;
  issued_at: Date | null;
  due_date: string;
  payment_url: string | null;
  schedule_id: string;
  status: Invoice['status'];
  closed_reason: string | null;
  dispute_status: Invoice['disputeStatus'];
  dispute_reason: string | null;
  plan: Installment[] | null;
  plan_status: Invoice['planStatus'];
  plan_paid_base_minor: number;
  promise_date: string | null;
  promise_amount_minor: number | null;
  promise_paid_base_minor: number | null;
  promise_status: Invoice['promiseStatus'];
  updated_at: Date;
}

const toInvoice = (r: InvoiceRow): Invoice => ({
  id: r.id,
  contactId: r.contact_id,
  number: r.number,
  amountMinor: r.amount_minor,
  paidMinor: r.paid_minor,
  dueMinor: Math.max(0, r.amount_minor - r.paid_minor),
  currency: r.currency,
  issuedAt: isoOrNull(r.issued_at),
  dueDate: r.due_date,
  paymentUrl: r.payment_url,
  scheduleId: r.schedule_id,
  status: r.status,
  closedReason: r.closed_reason,
  disputeStatus: r.dispute_status,
  disputeReason: r.dispute_reason,
  plan: r.plan,
  planStatus: r.plan_status,
  planPaidBaseMinor: r.plan_paid_base_minor,
  promiseDate: r.promise_date,
  promiseAmountMinor: r.promise_amount_minor,
  promisePaidBaseMinor: r.promise_paid_base_minor,
  promiseStatus: r.promise_status,
  updatedAt: iso(r.updated_at),
});

export interface NewInvoice {
  id: string;
  contactId: string;
  number: string | null;
  amountMinor: number;
  currency: string;
  issuedAt: string | null;
  dueDate: string;
  paymentUrl: string | null;
  scheduleId: string;
}

/** Inserts the invoice; false when an invoice with this id already exists (left untouched). */
export async function insertInvoice(sql: Sql, inv: NewInvoice, at: string): Promise<boolean> {
  const rows = await sql.query(
    `insert into invoices (id, contact_id, number, amount_minor, currency, issued_at, due_date, payment_url, schedule_id, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) on conflict (id) do nothing returning id`,
    [
      inv.id,
      inv.contactId,
      inv.number,
      inv.amountMinor,
      inv.currency,
      inv.issuedAt,
      inv.dueDate,
      inv.paymentUrl,
      inv.scheduleId,
      at,
    ],
  );
  return rows.length === 1;
}

export async function getInvoice(sql: Sql, id: string): Promise<Invoice | undefined> {
  const [row] = await sql.query<InvoiceRow>('select * from invoices where id = $1', [id]);
  return row ? toInvoice(row) : undefined;
}

export async function getInvoices(sql: Sql, ids: string[]): Promise<Invoice[]> {
  if (ids.length === 0) return [];
  const rows = await sql.query<InvoiceRow>(
    'select * from invoices where id = any($1::text[]) order by due_date, id',
    [ids],
  );
  return rows.map(toInvoice);
}

export async function openInvoicesOfContact(sql: Sql, contactId: string): Promise<Invoice[]> {
  const rows = await sql.query<InvoiceRow>(
    `select * from invoices where contact_id = $1 and status = 'open' order by due_date, id`,
    [contactId],
  );
  return rows.map(toInvoice);
}

/** Records a payment; the invoice becomes paid when nothing is left due. Returns the invoice after. */
export async function recordPayment(
  sql: Sql,
  p: { invoiceId: string; amountMinor: number; paidAt: string; eventId: string },
): Promise<void> {
  await sql.query(
    'insert into payments (invoice_id, amount_minor, paid_at, event_id) values ($1, $2, $3, $4)',
    [p.invoiceId, p.amountMinor, p.paidAt, p.eventId],
  );
  await sql.query(
    `update invoices set paid_minor = paid_minor + $2,
       status = case when status = 'open' and paid_minor + $2 >= amount_minor then 'paid' else status end,
       closed_reason = case when status = 'open' and paid_minor + $2 >= amount_minor then 'paid' else closed_reason end,
       plan_status = case when plan_status = 'active' and paid_minor + $2 >= amount_minor then 'completed' else plan_status end,
       promise_status = case when promise_status = 'active' and paid_minor + $2 >= amount_minor then 'kept' else promise_status end,
       updated_at = $3
     where id = $1`,
    [p.invoiceId, p.amountMinor, p.paidAt],
  );
}

export async function setPlan(sql: Sql, invoiceId: string, plan: Installment[], at: string) {
  // A plan replaces any promise still running, and counts the payments made from now on.
  await sql.query(
    `update invoices set plan = $2::jsonb, plan_status = 'active', plan_paid_base_minor = paid_minor,
       promise_status = case when promise_status = 'active' then 'superseded' else promise_status end,
       updated_at = $3 where id = $1`,
    [invoiceId, JSON.stringify(plan), at],
  );
}

/**
 * Escalation resumes: whatever pause the store still records is over (a plan kept with a balance
 * left is completed, a promise still open is broken), so the policy stops answering "paused".
 */
export async function endPauses(sql: Sql, invoiceId: string, at: string) {
  await sql.query(
    `update invoices set
       plan_status = case when plan_status = 'active' then 'completed' else plan_status end,
       promise_status = case when promise_status = 'active' then 'broken' else promise_status end,
       updated_at = $2
     where id = $1`,
    [invoiceId, at],
  );
}

export async function setPlanStatus(
  sql: Sql,
  invoiceId: string,
  status: 'active' | 'broken' | 'completed',
  at: string,
) {
  await sql.query(
    'update invoices set plan_status = $2, updated_at = $3 where id = $1 and plan is not null',
    [invoiceId, status, at],
  );
}

export async function setDispute(
  sql: Sql,
  invoiceId: string,
  status: 'open' | 'customer_right' | 'invoice_upheld',
  reason: string | null,
  at: string,
) {
  await sql.query(
    `update invoices set dispute_status = $2, dispute_reason = coalesce($3, dispute_reason),
       status = case when $2 = 'customer_right' and status = 'open' then 'cancelled' else status end,
       closed_reason = case when $2 = 'customer_right' and status = 'open' then 'dispute_customer_right' else closed_reason end,
       updated_at = $4
     where id = $1`,
    [invoiceId, status, reason, at],
  );
}

export async function setPromise(
  sql: Sql,
  invoiceId: string,
  date: string,
  amountMinor: number | null,
  at: string,
) {
  await sql.query(
    // While a payment plan is kept, the plan governs: the promise is recorded, superseded at once.
    // The baseline is what is paid at this point of the batch: later payments count towards it.
    `update invoices set promise_date = $2, promise_amount_minor = $3, promise_paid_base_minor = paid_minor,
       promise_status = case when plan_status = 'active' then 'superseded' else 'active' end,
       updated_at = $4 where id = $1`,
    [invoiceId, date, amountMinor, at],
  );
}

export async function setPromiseStatus(sql: Sql, invoiceId: string, status: 'kept' | 'broken', at: string) {
  await sql.query(
    `update invoices set promise_status = $2, updated_at = $3 where id = $1 and promise_status = 'active'`,
    [invoiceId, status, at],
  );
}

export async function cancelInvoice(sql: Sql, invoiceId: string, reason: string, at: string) {
  await sql.query(
    `update invoices set status = 'cancelled', closed_reason = $2, updated_at = $3 where id = $1 and status = 'open'`,
    [invoiceId, reason, at],
  );
}

/** What the policy engine needs of an invoice: may escalation run, is it paused, is it over? */
export function subjectState(invoice: Invoice): SubjectState {
  if (invoice.status !== 'open')
    return { id: invoice.id, condition: 'settled', detail: invoice.closedReason ?? invoice.status };
  if (invoice.disputeStatus === 'open')
    return { id: invoice.id, condition: 'paused', detail: 'under dispute' };
  if (invoice.planStatus === 'active')
    return { id: invoice.id, condition: 'paused', detail: 'payment plan kept' };
  if (invoice.promiseStatus === 'active')
    return { id: invoice.id, condition: 'paused', detail: `promised for ${invoice.promiseDate}` };
  return { id: invoice.id, condition: 'open' };
}
