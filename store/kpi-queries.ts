/**
 * What the KPIs (domain/kpis.ts) are computed from: the invoices that matter to a period (not
 * cancelled, issued by its end, and not already paid in full before it began) with their payments
 * and the dunning reminders sent about them, and the opt-out counts of the period.
 */
import type { KpiInput, KpiInvoice, KpiPeriod } from '../domain/kpis';
import { addCalendarDays } from '../domain/calendar';
import { iso, type Sql } from './db';

/** The sequence type of the dunning workflow (workflows/dunning-core.ts): its messages are reminders. */
const DUNNING_SEQUENCE = 'invoice-dunning';

interface InvoiceRow {
  id: string;
  currency: string;
  amount_minor: number;
  due_date: string;
  issued_on: string;
}

/** Period bounds as instants: [from 00:00Z, the day after `to` 00:00Z). */
function bounds(p: KpiPeriod): [string, string] {
  return [`${p.from}T00:00:00Z`, `${addCalendarDays(p.to, 1)}T00:00:00Z`];
}

async function invoicesOf(sql: Sql, start: string, end: string): Promise<InvoiceRow[]> {
  return sql.query<InvoiceRow>(
    `select i.id, i.currency, i.amount_minor, i.due_date,
            to_char(coalesce(i.issued_at, i.created_at) at time zone 'UTC', 'YYYY-MM-DD') as issued_on
       from invoices i
      where i.status <> 'cancelled'
        and coalesce(i.issued_at, i.created_at) < $2
        and not (i.status = 'paid' and coalesce(i.issued_at, i.created_at) < $1
                 and (select max(p.paid_at) from payments p where p.invoice_id = i.id) < $1)
      order by i.id`,
    [start, end],
  );
}

async function paymentsOf(sql: Sql, ids: string[], end: string) {
  return sql.query<{ invoice_id: string; amount_minor: number; paid_at: Date | string }>(
    `select invoice_id, amount_minor, paid_at from payments
      where invoice_id = any($1::text[]) and paid_at < $2 order by paid_at, id`,
    [ids, end],
  );
}

async function remindersOf(sql: Sql, ids: string[], end: string) {
  return sql.query<{ invoice_id: string; sent_at: Date | string }>(
    `select s.id as invoice_id, m.sent_at
       from messages m cross join lateral jsonb_array_elements_text(m.subject_ids) as s(id)
      where m.status = 'sent' and m.sequence_type = $3 and m.sent_at < $2 and s.id = any($1::text[])`,
    [ids, end, DUNNING_SEQUENCE],
  );
}

/** Contacts sent a message in the period, and those of them who withdrew a consent in it. */
async function optOutCounts(sql: Sql, start: string, end: string) {
  const [row] = await sql.query<{ messaged: number; withdrew: number }>(
    `select count(distinct m.contact_id)::int as messaged,
            count(distinct m.contact_id) filter (where exists (
              select 1 from consents c
               where c.contact_id = m.contact_id and not c.granted and c.at >= $1 and c.at < $2))::int as withdrew
       from messages m
      where m.status = 'sent' and m.sent_at >= $1 and m.sent_at < $2`,
    [start, end],
  );
  return { contactsMessaged: row?.messaged ?? 0, contactsWithdrew: row?.withdrew ?? 0 };
}

export async function kpiInput(sql: Sql, period: KpiPeriod): Promise<KpiInput> {
  const [start, end] = bounds(period);
  const rows = await invoicesOf(sql, start, end);
  const ids = rows.map((r) => r.id);
  const byId = new Map<string, KpiInvoice>(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        currency: r.currency,
        amountMinor: r.amount_minor,
        issuedOn: r.issued_on,
        dueDate: r.due_date,
        payments: [],
        remindersSentAt: [],
      },
    ]),
  );
  for (const p of await paymentsOf(sql, ids, end))
    byId.get(p.invoice_id)?.payments.push({ paidAt: iso(p.paid_at), amountMinor: p.amount_minor });
  for (const m of await remindersOf(sql, ids, end))
    byId.get(m.invoice_id)?.remindersSentAt.push(iso(m.sent_at));
  return { ...period, invoices: [...byId.values()], ...(await optOutCounts(sql, start, end)) };
}
