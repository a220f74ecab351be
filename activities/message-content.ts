/**
 * The data a template renders from, built from the store and the configuration: names, the
 * invoices a message covers, the human contact line, the late-payment terms that apply. Locale-specific wording stays in
 * the templates; this only gathers facts.
 */
import { DateTime } from 'luxon';
import type { RelanceConfig } from '../config/schema';
import { daysBetween } from '../domain/calendar';
import type { Contact } from '../store/contact-repository';
import type { Invoice } from '../store/invoice-repository';
import type { InvoiceLine } from '../templates/variables';
import { latePaymentData } from './late-payment-terms';

export interface OfferContent {
  title: string;
  body: string;
  url: string;
  validUntil: string | null;
}

export interface InstallmentContent {
  number: number;
  count: number;
  dueDate: string;
  amountMinor: number;
}

function baseData(contact: Contact, config: RelanceConfig, locale: string) {
  const hours = config.company.collections.hours;
  return {
    contact: { firstName: contact.firstName, lastName: contact.lastName, customerType: contact.customerType },
    company: {
      name: config.company.name,
      collections: {
        name: config.company.collections.name,
        email: config.company.collections.email,
        phone: config.company.collections.phone,
        hours: hours[locale] ?? hours[config.company.defaultLocale] ?? Object.values(hours)[0] ?? '',
      },
    },
  };
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
    ...baseData(contact, config, locale),
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

export function offerData(
  contact: Contact,
  offer: OfferContent,
  unsubscribeUrl: string,
  config: RelanceConfig,
  locale: string,
) {
  return { ...baseData(contact, config, locale), offer, unsubscribeUrl };
}
