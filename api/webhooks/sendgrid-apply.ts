/**
 * What one SendGrid event changes: the delivery status of its ledger row, the suppression list
 * (hard bounces, spam reports) and marketing consent (unsubscribes). Address-level effects apply
 * even when the message is not found, because they are facts about the address, not the message.
 */
import type { z } from 'zod';
import type { Sql } from '../../store/db';
import { contactsByEmail } from '../../store/contact-repository';
import { findByIdempotencyKey, getMessage, type LedgerEntry } from '../../store/ledger-repository';
import { messagesByProviderId, recordDelivery } from '../../store/ledger-provider';
import { suppressAddress } from '../../store/suppression-repository';
import { withdrawConsent } from './consent-changes';
import type { sendgridEventSchema } from './sendgrid-schema';

export type SendgridEvent = z.infer<typeof sendgridEventSchema>;

export interface EventOutcome {
  result: 'applied' | 'unmatched' | 'ignored';
  suppressed: boolean;
  withdrawals: number;
}

/** The ledger's delivery status for an event; undefined for engagement and account events. */
function deliveryStatusOf(e: SendgridEvent): string | undefined {
  switch (e.event) {
    case 'processed':
    case 'deferred':
    case 'delivered':
    case 'dropped':
      return e.event;
    case 'bounce':
      // `blocked` is a temporary refusal (reputation, content), not a dead mailbox.
      return e.type === 'blocked' ? 'blocked' : 'bounced';
    case 'spamreport':
      return 'spam_reported';
    case 'unsubscribe':
    case 'group_unsubscribe':
      return 'unsubscribed';
    default:
      return undefined;
  }
}

/** Events arrive out of order: a late `deferred` must not hide a `delivered`. */
const RANK: Record<string, number> = {
  processed: 0,
  deferred: 1,
  delivered: 2,
  blocked: 3,
  bounced: 3,
  dropped: 3,
  spam_reported: 4,
  unsubscribed: 4,
};

/** Drop reasons that say SendGrid itself lists the address as dead or complaining. */
const DROP_SUPPRESSIONS: Record<string, string> = {
  'Bounced Address': 'hard_bounce',
  'Spam Reporting Address': 'spam_report',
  Invalid: 'invalid_address',
};

function suppressionReason(e: SendgridEvent): string | undefined {
  if (e.event === 'bounce' && e.type !== 'blocked') return 'hard_bounce';
  if (e.event === 'spamreport') return 'spam_report';
  if (e.event === 'dropped' && e.reason) return DROP_SUPPRESSIONS[e.reason];
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** By the custom args Relance sent, else by the X-Message-Id prefix of sg_message_id. */
export async function findMessage(tx: Sql, e: SendgridEvent): Promise<LedgerEntry | undefined> {
  if (e.relance_message_id && UUID.test(e.relance_message_id)) {
    const row = await getMessage(tx, e.relance_message_id);
    if (row?.channel === 'email') return row;
  }
  if (e.relance_key) {
    const row = await findByIdempotencyKey(tx, e.relance_key);
    if (row?.channel === 'email') return row;
  }
  const providerId = e.sg_message_id?.split('.')[0];
  if (!providerId) return undefined;
  // One X-Message-Id covers every recipient of a batch request: the address picks the row.
  const rows = await messagesByProviderId(tx, 'sendgrid', providerId);
  const email = e.email.trim().toLowerCase();
  return rows.find((r) => r.recipient?.toLowerCase() === email) ?? (rows.length === 1 ? rows[0] : undefined);
}

const eventLabel = (e: SendgridEvent): string =>
  `SendGrid ${e.event}${e.type ? ` (${e.type})` : ''} (event sg_event_id ${e.sg_event_id ?? 'none'})`;

async function landStatus(tx: Sql, row: LedgerEntry, status: string, at: string): Promise<void> {
  const current = row.deliveryStatus === null ? -1 : (RANK[row.deliveryStatus] ?? -1);
  if ((RANK[status] ?? 0) >= current) await recordDelivery(tx, row.id, status, at);
}

async function withdrawMarketing(
  tx: Sql,
  e: SendgridEvent,
  row: LedgerEntry | undefined,
  at: string,
  receivedAt: string,
): Promise<number> {
  const ids = new Set((await contactsByEmail(tx, e.email)).map((c) => c.id));
  if (row) ids.add(row.contactId);
  const group = e.asm_group_id !== undefined ? `, group ${String(e.asm_group_id)}` : '';
  let count = 0;
  for (const contactId of ids) {
    const appended = await withdrawConsent(tx, {
      contactId,
      channel: 'email',
      purpose: 'marketing',
      source: `${eventLabel(e)}${group}`,
      at,
      receivedAt,
      ...(e.sg_event_id ? { eventId: `sendgrid:${e.sg_event_id}` } : {}),
    });
    if (appended) count += 1;
  }
  return count;
}

export async function applySendgridEvent(
  tx: Sql,
  e: SendgridEvent,
  receivedAt: string,
): Promise<EventOutcome> {
  const at = e.timestamp !== undefined ? new Date(e.timestamp * 1000).toISOString() : receivedAt;
  const status = deliveryStatusOf(e);
  const row = await findMessage(tx, e);
  if (row && status) await landStatus(tx, row, status, at);
  const reason = suppressionReason(e);
  if (reason) {
    const detail = e.reason ?? e.status ?? '';
    await suppressAddress(tx, {
      channel: 'email',
      address: e.email,
      reason,
      source: `${eventLabel(e)}${detail ? `: ${detail}` : ''}`.slice(0, 500),
      at,
    });
  }
  const unsubscribe = e.event === 'unsubscribe' || e.event === 'group_unsubscribe';
  const withdrawals = unsubscribe ? await withdrawMarketing(tx, e, row, at, receivedAt) : 0;
  const result = !status ? 'ignored' : row ? 'applied' : 'unmatched';
  return { result, suppressed: reason !== undefined, withdrawals };
}
