/**
 * What a prepared message becomes: the rendered content (template, locale, the data of its
 * subjects) and the provider request built from its ledger row, so a resend is identical.
 */
import type { OutgoingEmail, OutgoingSms } from '../channels/channel';
import type { KindContext, LoadedSubjects, SequenceKind } from '../kinds/kind';
import type { Contact } from '../store/contact-repository';
import type { LedgerEntry } from '../store/ledger-repository';
import type { ActivityDeps } from './deps';
import { baseData } from './message-content';
import type { DeliverInput } from './prepare-message';

export type OutgoingMessage =
  { channel: 'email'; email: OutgoingEmail } | { channel: 'sms'; sms: OutgoingSms };

/** Renders the message's template with the data every message gets plus its kind's. */
export function render(
  deps: ActivityDeps,
  kind: SequenceKind,
  ctx: KindContext,
  subjects: LoadedSubjects,
  template: string,
) {
  const { templates, config } = deps;
  const { contact, message } = ctx;
  const locale = templates.resolveLocale(template, message.channel, contact.locale);
  const data = {
    ...baseData(contact, config, locale),
    ...kind.templateData({ ...ctx, locale }, subjects),
    ...(message.purpose === 'marketing'
      ? { unsubscribeUrl: deps.unsubscribeUrl(contact.id, message.channel) }
      : {}),
  };
  return templates.render(template, message.channel, locale, data);
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
