/**
 * Invoice dunning as a sequence kind: subjects are invoices (settled when paid or cancelled,
 * paused by a plan, dispute or promise), merged per contact and step on one local day.
 */
import type { Invoice } from '../../store/invoice-repository';
import type { SequenceKind } from '../kind';
import { INVOICE_KIND, installmentOf, invoiceLegacyContent } from './content';
import { invoiceCoveredToday, loadInvoices } from './subjects';
import { dunningData, installmentData } from './template-data';

export const invoiceKind: SequenceKind = {
  name: INVOICE_KIND,
  loadSubjects: loadInvoices,
  coveredToday: invoiceCoveredToday,
  legacyContent: invoiceLegacyContent,
  templateData(ctx, subjects) {
    const invoices = subjects.loaded as Invoice[];
    const { contact, config, locale, now, message } = ctx;
    const installment = installmentOf(message.content);
    if (installment) {
      const [invoice] = invoices;
      if (!invoice) throw new Error(`invoice ${message.content.subjectIds.join(', ')} not found`);
      return installmentData(contact, invoice, installment, config, locale, now);
    }
    const open = invoices.filter((i) => i.status === 'open');
    return dunningData(contact, open.length ? open : invoices, config, locale, now);
  },
};
