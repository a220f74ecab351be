/**
 * What an invoice message's template renders from: the invoices it covers (amounts, due dates,
 * payment links), their total, and the late-payment terms a notice states. Names, company and
 * contact line are added by the send path; locale-specific wording stays in the templates.
 */
import { DateTime } from 'luxon';
import type { RelanceConfig } from '../../config/schema';
import { daysBetween } from '../../domain/calendar';
import type { Contact } from '../../store/contact-repository';
import type { Invoice } from '../../store/invoice-repository';
import type { InvoiceLine } from '../../templates/variables';
import { latePaymentData } from './late-payment-terms';

/** The installment an installment reminder is about (the workflow's plan point). */
export interface InstallmentContent {
  number: number;
  count: number;
  dueDate: string;
  amountMinor: number;
}

export function paymentUrlOf(invoice: Invoice, config: RelanceConfig): string {
  return (
    invoice.paymentUrl ??
    config.company.paymentUrlTemplate
      .replace('{invoiceId}', encodeURIComponent(invoice.id))
      .replace('{invoiceNumber}', encodeURIComponent(invoice.number ?? invoice.id))
  );
}

function invoiceLine(invoice: Invoice, config: RelanceConfig, today: string): InvoiceLine {
  return {
    id: invoice.id,
    number: invoice.number ?? invoice.id,
    amount: { minor: invoice.amountMinor, currency: invoice.currency },
    amountDue: { minor: invoice.dueMinor, currency: invoice.currency },
    dueDate: invoice.dueDate,
    paymentUrl: paymentUrlOf(invoice, config),
    daysOverdue: Math.max(0, daysBetween(invoice.dueDate, today)),
  };
}

/** Data of a dunning message covering one or several invoices (same currency: totals add up). */
export function dunningData(
  contact: Contact,
  invoices: Invoice[],
  config: RelanceConfig,
  locale: string,
  now: string,
) {
  const today = DateTime.fromISO(now, { zone: contact.timezone }).toISODate() ?? now.slice(0, 10);
  const lines = invoices.map((i) => invoiceLine(i, config, today));
  const [first] = lines;
  if (!first) throw new Error('a dunning message needs at least one invoice');
  return {
    invoices: lines,
    invoice: first,
    totalDue: {
      minor: lines.reduce((sum, l) => sum + l.amountDue.minor, 0),
      currency: first.amountDue.currency,
    },
    latePayment: latePaymentData(contact, lines.length, config, locale),
  };
}

export function installmentData(
  contact: Contact,
  invoice: Invoice,
  installment: InstallmentContent,
  config: RelanceConfig,
  locale: string,
  now: string,
) {
  return {
    ...dunningData(contact, [invoice], config, locale, now),
    installment: {
      number: installment.number,
      count: installment.count,
      dueDate: installment.dueDate,
      amount: { minor: installment.amountMinor, currency: invoice.currency },
    },
  };
}
