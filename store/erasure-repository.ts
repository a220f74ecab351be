/**
 * Erasure of a contact (contract §7): every table that holds personal data about the contact
 * loses it, in the caller's transaction. Kept, without identifying data: the contact's id (so
 * later events naming it are refused), consent proofs (channel, purpose, granted, time, legal
 * basis), invoices and payments (amounts, currencies, dates), ledger rows (status, times, reasons:
 * caps and audit), hand-offs and sequences (codes), suppressions (as a hash of the address),
 * cards, vouchers and lots of points (kind, dates, value, points; not label, code or link).
 */
import { ERASED, identifyingStrings, redact, scrubEventData } from '../domain/erasure';
import type { Channel } from '../domain/policy/types';
import type { Contact } from './contact-repository';
import type { Sql } from './db';
import { scrubRepliesOf } from './inbound-repository';
import { addressHash, normalize } from './suppression-repository';

export async function eraseContact(sql: Sql, contact: Contact, at: string): Promise<void> {
  const secrets = identifyingStrings(contact);
  const invoiceIds = (
    await sql.query<{ id: string }>('select id from invoices where contact_id = $1', [contact.id])
  ).map((r) => r.id);
  const own = await ownAddresses(sql, contact);
  await scrubStoredEvents(sql, contact.id, invoiceIds, secrets);
  await scrubOutbox(sql, contact.id, own);
  await scrubLedger(sql, contact.id, secrets, at);
  await scrubSequencesAndHandoffs(sql, contact.id, at);
  await scrubRepliesOf(sql, contact.id);
  await sql.query(
    `update invoices set payment_url = null, dispute_reason = null,
       closed_reason = case when status = 'cancelled' and closed_reason is distinct from 'dispute_customer_right'
         then 'cancelled' else closed_reason end
     where contact_id = $1`,
    [contact.id],
  );
  await eraseItems(sql, contact.id, at);
  await scrubSuppressions(sql, own, secrets);
  await sql.query('update consents set source = $2 where contact_id = $1', [contact.id, ERASED]);
  await sql.query(
    `update contacts set first_name = null, last_name = null, email = null, phone = null, tags = '[]',
       attributes = '{}', erased_at = $2, updated_at = $2 where id = $1`,
    [contact.id, at],
  );
}

/**
 * Cards, vouchers and lots keep their kind, dates, value and points (what the loyalty accounts
 * need), not what names or leads to the person: label, code, link. Live ones end (`erased`).
 */
async function eraseItems(sql: Sql, contactId: string, at: string): Promise<void> {
  await sql.query(
    `update items set label = case when label = '' then '' else $3 end, code = null, url = null,
       ended_reason = case when status = 'live' then 'erased' else ended_reason end,
       ended_at = coalesce(ended_at, $2::timestamptz), status = 'ended', updated_at = $2
     where contact_id = $1`,
    [contactId, at, ERASED],
  );
}

/**
 * Events about the contact: its own, those about its invoices and its cards, vouchers and lots,
 * and campaigns naming it.
 */
export async function eventsAboutContact(
  sql: Sql,
  contactId: string,
  invoiceIds: string[],
): Promise<{ id: string; type: string; at: Date; data: Record<string, unknown>; received_at: Date }[]> {
  return sql.query(
    `select id, type, at, data, received_at from events
     where data->>'contactId' = $1 or (type = 'contact.upserted' and data->>'id' = $1)
       or data->>'invoiceId' = any($2::text[]) or coalesce(data->'contactIds', '[]'::jsonb) ? $1
       or exists (select 1 from items i where i.contact_id = $1 and i.id = coalesce(
         case i.kind when 'card' then data->>'cardId' when 'voucher' then data->>'voucherId' else data->>'lotId' end, ''))
     order by seq`,
    [contactId, invoiceIds],
  );
}

/**
 * Rewrites the stored data of events about the contact (see scrubEventData); what a rule keeps
 * (a reason, a reference) loses any identifying string of the contact it quotes too.
 */
async function scrubStoredEvents(
  sql: Sql,
  contactId: string,
  invoiceIds: string[],
  secrets: string[],
): Promise<void> {
  for (const event of await eventsAboutContact(sql, contactId, invoiceIds))
    await scrubStoredEvent(sql, event, secrets);
}

export async function scrubStoredEvent(
  sql: Sql,
  event: { id: string; type: string; data: Record<string, unknown> },
  secrets: string[] = [],
): Promise<void> {
  await sql.query('update events set data = $2::jsonb where id = $1', [
    event.id,
    JSON.stringify(redact(scrubEventData(event.type, event.data), secrets)),
  ]);
}

/** The contact's addresses that no other contact holds (a shared household line stays theirs). */
async function ownAddresses(sql: Sql, contact: Contact): Promise<{ channel: Channel; address: string }[]> {
  const candidates: { channel: Channel; address: string }[] = [];
  if (contact.email) candidates.push({ channel: 'email', address: contact.email });
  if (contact.phone) candidates.push({ channel: 'sms', address: contact.phone });
  const own: { channel: Channel; address: string }[] = [];
  for (const c of candidates) {
    const column = c.channel === 'email' ? 'lower(email)' : 'phone';
    const others = await sql.query(`select 1 from contacts where ${column} = $1 and id <> $2 limit 1`, [
      normalize(c.channel, c.address),
      contact.id,
    ]);
    if (others.length === 0) own.push(c);
  }
  return own;
}

/**
 * The ledger keeps each attempt's status, times, reasons and provider ids (caps, audit), not its
 * recipient, subject or body. Attempts still waiting will never leave: suppressed, do_not_contact.
 * An attempt in flight ("sending") is settled by the send itself (see prepareMessage).
 */
async function scrubLedger(sql: Sql, contactId: string, secrets: string[], at: string): Promise<void> {
  await sql.query(
    `update messages set recipient = null, subject = null, body_text = null, body_html = null,
       dedup_key = regexp_replace(dedup_key, $3, $4),
       reason = case when status = 'deferred' then 'do_not_contact' else reason end,
       decided_at = case when status = 'deferred' then $2::timestamptz else decided_at end,
       deferred_until = null,
       status = case when status = 'deferred' then 'suppressed' else status end,
       updated_at = $2
     where contact_id = $1`,
    [contactId, at, '\\|[^|]*$', `|${ERASED}`],
  );
  const rows = await sql.query<{ id: string; decision: unknown; error: string | null }>(
    'select id, decision, error from messages where contact_id = $1 and (decision is not null or error is not null)',
    [contactId],
  );
  for (const row of rows) {
    await sql.query('update messages set decision = $2::jsonb, error = $3 where id = $1', [
      row.id,
      JSON.stringify(redact(row.decision, secrets)),
      row.error === null ? null : redact(row.error, secrets),
    ]);
  }
}

/**
 * The local outbox stands in for the providers inside this database, so its copies go too (the
 * real providers keep their own: README, Known limits). A copy is the contact's by the ledger's
 * idempotency key (an email's outbox id is `<X-Message-Id>.<n>`, not the ledger's provider id),
 * whatever its address: a household address shared with another contact included.
 */
async function scrubOutbox(
  sql: Sql,
  contactId: string,
  own: { channel: Channel; address: string }[],
): Promise<void> {
  await sql.query(
    `update outbox_messages set to_address = $3, subject = null, body_text = $3, body_html = null,
       headers = '{}', payload = '{}'
     where idempotency_key in (select idempotency_key from messages where contact_id = $1)
        or id in (select provider_id from messages where contact_id = $1 and provider_id is not null)
        or lower(to_address) = any($2::text[])`,
    [contactId, own.map((a) => normalize(a.channel, a.address)), ERASED],
  );
}

/** Running sequences end (`erased`); texts that quote upstream free text (dispute reasons) go. */
async function scrubSequencesAndHandoffs(sql: Sql, contactId: string, at: string): Promise<void> {
  // A sequence ended by a cancellation carries the cancellation's reason as its outcome.
  await sql.query(
    `update sequences s set outcome = 'cancelled' from invoices i
     where s.subject_id = i.id and i.contact_id = $1 and i.status = 'cancelled'
       and s.outcome = i.closed_reason and i.closed_reason not in ('cancelled', 'dispute_customer_right')`,
    [contactId],
  );
  await sql.query(
    `update sequences set status = 'completed', outcome = 'erased', next_step = null, next_at = null,
       completed_at = $2, updated_at = $2
     where contact_id = $1 and status <> 'completed'`,
    [contactId, at],
  );
  await sql.query('update sequences set paused_reason = null where contact_id = $1', [contactId]);
  await sql.query(
    `update handoffs set status = 'resolved', resolution = coalesce(resolution, 'other'),
       resolved_at = coalesce(resolved_at, $2),
       reason = case when reason like 'disputed:%' then 'disputed' else reason end
     where contact_id = $1`,
    [contactId, at],
  );
  // Agents' notes and messages may quote the person: their texts go, the timeline's shape stays.
  await sql.query(
    `update handoff_events set data = data - 'text' - 'reason'
     where handoff_id in (select id from handoffs where contact_id = $1)`,
    [contactId],
  );
}

/**
 * A suppressed address is kept as its hash, with its source cut of the address. The hash may be
 * there already (a suppression kept from an earlier erasure of the same address): the plain row
 * then just goes.
 */
async function scrubSuppressions(
  sql: Sql,
  own: { channel: Channel; address: string }[],
  secrets: string[],
): Promise<void> {
  for (const { channel, address } of own) {
    const plain = normalize(channel, address);
    const [row] = await sql.query<{ reason: string; source: string; at: Date }>(
      'select reason, source, at from suppressions where channel = $1 and address = $2',
      [channel, plain],
    );
    if (!row) continue;
    await sql.query(
      `insert into suppressions (channel, address, reason, source, at) values ($1, $2, $3, $4, $5)
       on conflict (channel, address) do nothing`,
      [channel, addressHash(channel, address), row.reason, redact(row.source, secrets), row.at],
    );
    await sql.query('delete from suppressions where channel = $1 and address = $2', [channel, plain]);
  }
}
