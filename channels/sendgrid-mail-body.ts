/**
 * What Relance asks SendGrid to send, in two forms: the SDK's mail data (camelCase, for
 * `@sendgrid/mail`), and for a campaign's request of 1,000 recipients, the v3 request body that
 * the SDK's Mail helper would build from it (snake_case, substitution tags wrapped).
 *
 * Why the body is built here for batches: the Mail helper copies its input through
 * `JSON.parse(JSON.stringify(…))`, once for the request and once more per personalization, then
 * walks it twice to change the keys' case. A campaign request carries each recipient's rendered
 * copy (some 2.5 MB); on the stack's one thread that was some 30 ms a page and as much garbage.
 * The body goes through the SDK's own client (`@sendgrid/client`: key, base URL, timeout,
 * errors); tests/unit/sendgrid-mail-body.test.ts checks it equals the helper's, field for field.
 */
import type { MailDataRequired } from '@sendgrid/mail';
import type { OutgoingEmail } from './channel';
import type { BatchRecipient, EmailBatch } from './email-sendgrid';

/** Substitution tags are written `[%name%]`, never `{{name}}`, so Handlebars leaves them alone. */
export const TAG_LEFT = '[%';
export const TAG_RIGHT = '%]';

type Tracking = EmailBatch['tracking'];

function trackingSettings(tracking: Tracking): MailDataRequired['trackingSettings'] {
  // Off unless asked: tracking pixels and rewritten links have no place in a payment reminder.
  return {
    clickTracking: { enable: tracking?.clicks ?? false, enableText: tracking?.clicks ?? false },
    openTracking: { enable: tracking?.opens ?? false },
    subscriptionTracking: { enable: false },
  };
}

function customArgs(r: BatchRecipient): Record<string, string> {
  return { relance_key: r.idempotencyKey, relance_message_id: r.messageId };
}

/** A header or substitution map with something in it: the Mail helper leaves an empty one out. */
export const filled = (record: Record<string, string> | undefined): record is Record<string, string> =>
  record !== undefined && Object.keys(record).length > 0;

export function batchMailData(batch: EmailBatch, recipients: BatchRecipient[]): MailDataRequired {
  return {
    personalizations: recipients.map((r) => ({
      to: [{ email: r.to, ...(r.toName ? { name: r.toName } : {}) }],
      ...(filled(r.substitutions) ? { substitutions: r.substitutions } : {}),
      ...(r.subject ? { subject: r.subject } : {}),
      ...(filled(r.headers) ? { headers: r.headers } : {}),
      customArgs: customArgs(r),
    })),
    from: batch.from,
    ...(batch.replyTo ? { replyTo: batch.replyTo } : {}),
    subject: batch.subject,
    text: batch.text,
    html: batch.html,
    ...(filled(batch.headers) ? { headers: batch.headers } : {}),
    ...(batch.categories && batch.categories.length > 0 ? { categories: batch.categories } : {}),
    trackingSettings: trackingSettings(batch.tracking),
  };
}

/** A single email is a batch of one: one request shape, one place that builds it. */
export function toMailData(m: OutgoingEmail): MailDataRequired {
  const { to, toName, idempotencyKey, messageId, ...shared } = m;
  const recipient: BatchRecipient = { to, ...(toName ? { toName } : {}), idempotencyKey, messageId };
  return batchMailData({ ...shared, recipients: [recipient] }, [recipient]);
}

/** `{ name: value }` as SendGrid reads substitutions: `{ "[%name%]": value }`. */
function wrapped(substitutions: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(substitutions)) out[`${TAG_LEFT}${name}${TAG_RIGHT}`] = value;
  return out;
}

/** The v3 `/mail/send` body of a batch, as the SDK's Mail helper writes `batchMailData`. */
export function batchRequestBody(batch: EmailBatch, recipients: BatchRecipient[]): Record<string, unknown> {
  const tracking = trackingSettings(batch.tracking);
  return {
    from: batch.from,
    subject: batch.subject,
    personalizations: recipients.map((r) => ({
      to: [{ email: r.to, ...(r.toName ? { name: r.toName } : {}) }],
      ...(filled(r.headers) ? { headers: r.headers } : {}),
      ...(filled(r.substitutions) ? { substitutions: wrapped(r.substitutions) } : {}),
      ...(r.subject ? { subject: r.subject } : {}),
      custom_args: customArgs(r),
    })),
    ...(batch.categories && batch.categories.length > 0 ? { categories: batch.categories } : {}),
    content: [
      { type: 'text/plain', value: batch.text },
      { type: 'text/html', value: batch.html },
    ],
    ...(filled(batch.headers) ? { headers: batch.headers } : {}),
    tracking_settings: {
      click_tracking: {
        enable: tracking?.clickTracking?.enable,
        enable_text: tracking?.clickTracking?.enableText,
      },
      open_tracking: { enable: tracking?.openTracking?.enable },
      subscription_tracking: { enable: tracking?.subscriptionTracking?.enable },
    },
    ...(batch.replyTo ? { reply_to: { email: batch.replyTo } } : {}),
  };
}
