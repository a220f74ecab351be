/**
 * The late-payment terms a formal notice states to one contact: those configured for the
 * contact's country and customer type, in the message's locale, with the indemnity counted per
 * invoice the notice covers. A contact without a configured country gets `otherCountries`.
 */
import type { LateTerms } from '../../config/late-payment-schema';
import type { RelanceConfig } from '../../config/schema';
import { toMinor } from '../../domain/money';
import type { Contact } from '../../store/contact-repository';
import type { LatePaymentVariables } from '../../templates/variables';

export function lateTermsFor(
  contact: Pick<Contact, 'country' | 'customerType'>,
  config: RelanceConfig,
): LateTerms {
  const { byCountry, otherCountries } = config.company.latePayment;
  const country =
    contact.country !== null && Object.hasOwn(byCountry, contact.country)
      ? byCountry[contact.country]
      : undefined;
  return (country ?? otherCountries)[contact.customerType];
}

/** A text per locale: the message's locale, else the company's default, else the first one given. */
function localized(
  texts: Record<string, string> | null,
  locale: string,
  config: RelanceConfig,
): string | null {
  if (!texts) return null;
  return texts[locale] ?? texts[config.company.defaultLocale] ?? Object.values(texts)[0] ?? null;
}

/** The template's `latePayment` data for a notice covering `invoiceCount` invoices. */
export function latePaymentData(
  contact: Pick<Contact, 'country' | 'customerType'>,
  invoiceCount: number,
  config: RelanceConfig,
  locale: string,
): LatePaymentVariables {
  const { interest, fixedIndemnity } = lateTermsFor(contact, config);
  const perInvoice = fixedIndemnity ? toMinor(fixedIndemnity.amount, fixedIndemnity.currency) : 0;
  return {
    paymentDays: config.company.latePayment.paymentDays,
    interest: interest
      ? {
          annualRate: interest.annualRate,
          from: interest.from,
          citation: localized(interest.citation, locale, config),
        }
      : null,
    fixedIndemnity: fixedIndemnity
      ? {
          perInvoice: { minor: perInvoice, currency: fixedIndemnity.currency },
          invoiceCount,
          total: { minor: perInvoice * invoiceCount, currency: fixedIndemnity.currency },
          citation: localized(fixedIndemnity.citation, locale, config),
        }
      : null,
  };
}
