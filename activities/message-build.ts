/**
 * What a prepared message becomes: the rendered content (template, locale, the data of its
 * subjects) and the provider request built from its ledger row, so a resend is identical.
 */
import type { OutgoingEmail, OutgoingSms } from '../channels/channel';
import type { Contact } from '../store/contact-repository';
import type { Invoice } from '../store/invoice-repository';
import type { LedgerEntry } from '../store/ledger-repository';
import type { ActivityDeps } from './deps';
import { dunningData, installmentData, offerData } from './message-content';
import type { DeliverInput } from './prepare-message';

export type OutgoingMessage =
  { channel: 'email'; email: OutgoingEmail } | { channel: 'sms'; sms: OutgoingSms };

export function render(
  deps: ActivityDeps,
  input: DeliverInput,
  contact: Contact,
  invoices: Invoice[],
  now: string,
) {
  const { templates, config } = deps;
  const locale = templates.resolveLocale(input.template, input.channel, contact.locale);
  const content = input.content;
  const open = invoices.filter((i) => i.status === 'open');
  switch (content.type) {
    case 'dunning':
      return templates.render(
        input.template,
        input.channel,
        locale,
        dunningData(contact, open.length ? open : invoices, config, locale, now),
      );
    case 'installment': {
      const [invoice] = invoices;
      if (!invoice) throw new Error(`invoice ${content.invoiceId} not found`);
      return templates.render(
        input.template,
        input.channel,
        locale,
        installmentData(contact, invoice, content.installment, config, locale, now),
      );
    }
    case 'offer':
      return templates.render(
        input.template,
        input.channel,
        locale,
        offerData(contact, content.offer, deps.unsubscribeUrl(contact.id, input.channel), config, locale),
      );
  }
}

/** The provider request of a ledger row, from what the row recorded (so a resend is identical). */
export function outgoing(
  deps: ActivityDeps,
  input: DeliverInput,
  contact: Contact,
  row: LedgerEntry,
): OutgoingMessage {
  const { config } = deps;
  const to = row.recipient ?? '';
  if (row.channel === 'sms') {
    return {
      channel: 'sms',
      sms: {
        to,
        from: config.company.sms.from,
        body: row.text ?? '',
        idempotencyKey: row.idempotencyKey,
        messageId: row.id,
        ...(deps.statusCallbackUrl ? { statusCallback: deps.statusCallbackUrl } : {}),
      },
    };
  }
  const meta = deps.templates.meta(input.template);
  const marketing = input.purpose === 'marketing';
  const unsubscribe = marketing ? deps.unsubscribeUrl(contact.id, 'email') : undefined;
  return {
    channel: 'email',
    email: {
      to,
      ...(contact.firstName || contact.lastName
        ? { toName: [contact.firstName, contact.lastName].filter(Boolean).join(' ') }
        : {}),
      from: { email: config.company.email.from, name: config.company.email.fromName },
      ...(config.company.email.replyTo ? { replyTo: config.company.email.replyTo } : {}),
      subject: row.subject ?? '',
      text: row.text ?? '',
      html: row.html ?? '',
      ...(unsubscribe
        ? {
            headers: {
              'List-Unsubscribe': `<${unsubscribe}>`,
              'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            },
          }
        : {}),
      idempotencyKey: row.idempotencyKey,
      messageId: row.id,
      categories: [input.sequenceType, input.step],
      tracking: marketing && meta.tracking ? meta.tracking : { opens: false, clicks: false },
      batchable: marketing,
    },
  };
}
