/**
 * The Twilio Message resource (API 2010-04-01) as the outbox renders it: field names, string
 * counters (`num_segments`, `num_media`) and RFC 2822 dates in the exact form the twilio SDK's
 * deserializer expects ("Thu, 30 Jul 2015 20:12:31 +0000").
 */
import { randomBytes } from 'node:crypto';
import type { OutboxRecord } from './outbox-store';
import { countSegments } from '../../templates/sms-segments';

export const TWILIO_API_VERSION = '2010-04-01';

export interface TwilioMessageResource {
  account_sid: string;
  api_version: string;
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'outbound-api';
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  sid: string;
  status: 'queued' | 'sent';
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

/** Form fields as Twilio reads them: the first value of a repeated key wins. */
export type FormFields = Record<string, string>;

export function newMessageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

export function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

export function messagesUri(accountSid: string): string {
  return `/${TWILIO_API_VERSION}/Accounts/${accountSid}/Messages`;
}

/** Reads back the form fields the outbox stored as the record's payload. */
export function storedFields(record: OutboxRecord): FormFields {
  const fields: FormFields = {};
  if (typeof record.payload === 'object' && record.payload !== null) {
    for (const [key, value] of Object.entries(record.payload)) {
      if (typeof value === 'string') fields[key] = value;
    }
  }
  return fields;
}

/**
 * `queued` is what Twilio answers on create; once stored, the outbox has "handed the message to
 * the carrier", so reads report `sent` with a `date_sent` (which the DateSent filters rely on).
 */
export function messageResource(
  record: OutboxRecord,
  accountSid: string,
  state: 'queued' | 'sent',
): TwilioMessageResource {
  const fields = storedFields(record);
  const created = new Date(record.receivedAt);
  const uri = `${messagesUri(accountSid)}/${record.id}`;
  return {
    account_sid: accountSid,
    api_version: TWILIO_API_VERSION,
    body: record.text,
    date_created: rfc2822(created),
    date_sent: state === 'sent' ? rfc2822(created) : null,
    date_updated: rfc2822(created),
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: record.from,
    messaging_service_sid: fields.MessagingServiceSid ?? null,
    num_media: '0',
    num_segments: String(countSegments(record.text).segments),
    price: null,
    price_unit: 'USD',
    sid: record.id,
    status: state,
    subresource_uris: { media: `${uri}/Media.json` },
    to: record.to,
    uri: `${uri}.json`,
  };
}

/** The key Relance appends to StatusCallback so a lost answer can be confirmed later. */
export function relanceKeyOf(statusCallback: string | undefined): string | null {
  if (!statusCallback) return null;
  try {
    return new URL(statusCallback).searchParams.get('relance_key');
  } catch {
    return null;
  }
}
