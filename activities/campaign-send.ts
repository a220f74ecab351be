/**
 * Hands a page's decided messages to the providers: every email at once (the batching channel
 * sends a page as one SendGrid request with a personalization per recipient), every SMS through
 * the per-sender rate limiter the runtime wraps around the SMS channel. Returns one result per
 * ledger row; a provider fault leaves its row ready for the next attempt, as the one-by-one path.
 */
import { Context } from '@temporalio/activity';
import {
  certainlyNotReceived,
  type OutgoingEmail,
  type OutgoingSms,
  type SendResult,
} from '../channels/channel';
import type { Contact } from '../store/contact-repository';
import type { RunResult } from '../store/campaign-page-store';
import type { LedgerEntry } from '../store/ledger-repository';
import type { ActivityDeps } from './deps';

const ASSUMED_SENT =
  'interrupted while the provider was answering; the provider cannot confirm, so the message is taken as sent rather than risk a duplicate';

/** Tells Temporal the activity is alive (a no-op when called outside an activity, as tests do). */
export function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // outside an activity (tests call the page directly)
  }
}

/**
 * A heartbeat at most once a second: a page's 1,000 emails all answer at once (one SendGrid
 * request), and a heartbeat for each cost about 5 ms a page; an SMS page waiting for its sender's
 * rate still beats every second.
 */
function heartbeatEverySecond(): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    heartbeat();
  };
}

/** What sending a row needs: a ledger row, or a page's row as just written. */
export type SendableRow = Pick<
  LedgerEntry,
  'id' | 'idempotencyKey' | 'recipient' | 'contactId' | 'channel' | 'template' | 'subject' | 'text' | 'html'
>;

export function campaignEmail(deps: ActivityDeps, row: SendableRow, contact: Contact): OutgoingEmail {
  const { config } = deps;
  const unsubscribe = deps.unsubscribeUrl(contact.id, 'email');
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  const tracking = row.template ? deps.templates.meta(row.template).tracking : undefined;
  return {
    to: row.recipient ?? '',
    ...(name ? { toName: name } : {}),
    from: { email: config.company.email.from, name: config.company.email.fromName },
    ...(config.company.email.replyTo ? { replyTo: config.company.email.replyTo } : {}),
    subject: row.subject ?? '',
    text: row.text ?? '',
    html: row.html ?? '',
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    idempotencyKey: row.idempotencyKey,
    messageId: row.id,
    categories: ['campaign', 'offer'],
    tracking: tracking ?? { opens: false, clicks: false },
    batchable: true,
  };
}

export function campaignSms(deps: ActivityDeps, row: SendableRow): OutgoingSms {
  return {
    to: row.recipient ?? '',
    from: deps.config.company.sms.from,
    body: row.text ?? '',
    idempotencyKey: row.idempotencyKey,
    messageId: row.id,
    ...(deps.statusCallbackUrl ? { statusCallback: deps.statusCallbackUrl } : {}),
  };
}

function resultOf(row: SendableRow, settled: PromiseSettledResult<SendResult>): RunResult {
  if (settled.status === 'rejected') {
    const detail = settled.reason instanceof Error ? settled.reason.message : String(settled.reason);
    // Never received: decided again by the next attempt. Maybe received: asked about first.
    return certainlyNotReceived(settled.reason)
      ? { id: row.id, status: 'deferred', error: detail }
      : { id: row.id, status: 'sending', error: `outcome unknown: ${detail}` };
  }
  const result = settled.value;
  return result.kind === 'accepted'
    ? { id: row.id, status: 'sent', provider: result.provider, providerId: result.providerId, error: null }
    : { id: row.id, status: 'failed', reason: result.reason, error: result.detail };
}

/** Sends the rows; the results in row order, and the first fault a retry should answer. */
export async function sendRows(
  deps: ActivityDeps,
  rows: readonly SendableRow[],
  contacts: ReadonlyMap<string, Contact>,
): Promise<{ results: RunResult[]; fault: unknown }> {
  const beat = heartbeatEverySecond();
  const settled = await Promise.allSettled(
    rows.map(async (row) => {
      const contact = contacts.get(row.contactId);
      if (!contact) throw new Error(`contact ${row.contactId} left the page`);
      const result =
        row.channel === 'email'
          ? await deps.channels.email.send(campaignEmail(deps, row, contact))
          : await deps.channels.sms.send(campaignSms(deps, row));
      beat();
      return result;
    }),
  );
  const fault = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')?.reason as unknown;
  return {
    results: rows.map((row, i) => resultOf(row, settled[i] as PromiseSettledResult<SendResult>)),
    fault,
  };
}

/** Rows left `sending` by a killed attempt: the provider says whether it holds them. */
export async function confirmRows(deps: ActivityDeps, rows: readonly LedgerEntry[]): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const row of rows) {
    const channel = row.channel === 'email' ? deps.channels.email : deps.channels.sms;
    const confirmed = channel.confirm
      ? await channel.confirm(row.idempotencyKey, row.recipient ?? '')
      : undefined;
    if (confirmed === null)
      results.push({ id: row.id, status: 'deferred', error: 'never received: decided again' });
    else
      results.push({
        id: row.id,
        status: 'sent',
        ...(confirmed ? { providerId: confirmed, error: null } : { error: ASSUMED_SENT }),
      });
  }
  return results;
}
