/**
 * Inbound messages (table inbound_messages): SMS keywords already applied, so that a replay
 * applies nothing, and customers' free-text replies (SMS and email) with their labels.
 */
import type { ReplyLabel } from '../domain/reply-labels';
import { iso, type Sql } from './db';

/** Records the message; false when a message with this MessageSid was already recorded. */
export async function claimInboundMessage(
  sql: Sql,
  m: { messageSid: string; keyword: string; receivedAt: string },
): Promise<boolean> {
  const rows = await sql.query(
    `insert into inbound_messages (message_sid, keyword, received_at) values ($1, $2, $3)
     on conflict (message_sid) do nothing returning message_sid`,
    [m.messageSid, m.keyword, m.receivedAt],
  );
  return rows.length === 1;
}

export interface Reply {
  /** The provider's id: Twilio's MessageSid, or `email:<Message-ID>` (a hash when it has none). */
  id: string;
  channel: 'sms' | 'email';
  from: string;
  contactIds: string[];
  subject: string | null;
  text: string;
  labels: ReplyLabel[];
  /** The ledger message (messages.id) it answers, when known. */
  inReplyTo: string | null;
  needsPerson: string | null;
  receivedAt: string;
}

/** Records a reply once per id; false when it was already recorded (a provider's retry). */
export async function recordReply(sql: Sql, r: Reply): Promise<boolean> {
  const rows = await sql.query(
    `insert into inbound_messages (message_sid, keyword, channel, from_address, contact_ids, subject, body_text,
       labels, in_reply_to, needs_person, received_at)
     values ($1, null, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $8, $9, $10)
     on conflict (message_sid) do nothing returning message_sid`,
    [
      r.id,
      r.channel,
      r.from,
      JSON.stringify(r.contactIds),
      r.subject,
      r.text,
      JSON.stringify(r.labels),
      r.inReplyTo,
      r.needsPerson,
      r.receivedAt,
    ],
  );
  return rows.length === 1;
}

interface ReplyRow {
  message_sid: string;
  channel: 'sms' | 'email';
  from_address: string | null;
  contact_ids: string[];
  subject: string | null;
  body_text: string | null;
  labels: ReplyLabel[];
  in_reply_to: string | null;
  needs_person: string | null;
  received_at: Date | string;
}

const toReply = (r: ReplyRow): Reply => ({
  id: r.message_sid,
  channel: r.channel,
  from: r.from_address ?? '',
  contactIds: r.contact_ids,
  subject: r.subject,
  text: r.body_text ?? '',
  labels: r.labels,
  inReplyTo: r.in_reply_to,
  needsPerson: r.needs_person,
  receivedAt: iso(r.received_at),
});

/** The contact's replies, newest first; all of them, or the `limit` newest. */
export async function repliesOfContact(sql: Sql, contactId: string, limit?: number): Promise<Reply[]> {
  const rows = await sql.query<ReplyRow>(
    `select * from inbound_messages where keyword is null and contact_ids @> $1::jsonb
      order by received_at desc, message_sid desc limit $2`,
    [JSON.stringify([contactId]), limit ?? null],
  );
  return rows.map(toReply);
}

/** The replies with these ids (a task's timeline names them), in no particular order. */
export async function repliesByIds(sql: Sql, ids: string[]): Promise<Reply[]> {
  if (ids.length === 0) return [];
  const rows = await sql.query<ReplyRow>(
    'select * from inbound_messages where keyword is null and message_sid = any($1::text[])',
    [ids],
  );
  return rows.map(toReply);
}

/** Erasure: the contact's replies lose their sender and words; labels and times stay. */
export async function scrubRepliesOf(sql: Sql, contactId: string): Promise<void> {
  await sql.query(
    `update inbound_messages set from_address = null, subject = null, body_text = null
      where contact_ids @> $1::jsonb`,
    [JSON.stringify([contactId])],
  );
}

/** Email ledger messages SendGrid accepted under one of these ids (X-Message-Id). */
export async function sentEmailsByProviderIds(
  sql: Sql,
  providerIds: string[],
): Promise<{ id: string; contactId: string }[]> {
  if (providerIds.length === 0) return [];
  const rows = await sql.query<{ id: string; contact_id: string }>(
    `select id, contact_id from messages
      where provider = 'sendgrid' and provider_id = any($1::text[]) and channel = 'email'
      order by sent_at desc nulls last`,
    [providerIds],
  );
  return rows.map((r) => ({ id: r.id, contactId: r.contact_id }));
}
