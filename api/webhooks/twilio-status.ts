/**
 * POST /v1/webhooks/twilio/status: Twilio's StatusCallback for the SMS Relance sent. The status
 * lands on the ledger row (found by MessageSid, else by the signed `relance_key` of the callback
 * URL when the callback beats the send activity's own write); numbers Twilio reports as dead or
 * opted out go on the suppression list.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, RelanceError } from '../../domain/errors';
import type { Sql } from '../../store/db';
import { findByIdempotencyKey, type LedgerEntry } from '../../store/ledger-repository';
import { findByProviderId, recordDelivery } from '../../store/ledger-provider';
import { suppressAddress } from '../../store/suppression-repository';
import type { ResolvedWebhooks } from './deps';
import { requireFields, verifiedTwilioFields, type TwilioFields } from './twilio-request';

/** Error codes that say the number itself will never take our SMS. */
const SUPPRESSING_CODES: Record<string, string> = {
  '30005': 'unknown_destination',
  '30006': 'landline_or_unreachable_carrier',
  '21610': 'unsubscribed_recipient',
};

/** Callbacks may arrive out of order: a late `sent` must not hide a `delivered`. */
const RANK: Record<string, number> = {
  accepted: 0,
  scheduled: 0,
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  canceled: 3,
  read: 4,
};
const rankOf = (status: string | null): number =>
  status === null ? -1 : (RANK[status.split(' ')[0] ?? ''] ?? 0);

async function findSmsRow(tx: Sql, sid: string, key: string | undefined): Promise<LedgerEntry | undefined> {
  const row = await findByProviderId(tx, 'twilio', sid);
  if (row) return row;
  if (!key) return undefined;
  const byKey = await findByIdempotencyKey(tx, key);
  return byKey?.channel === 'sms' && (byKey.providerId === null || byKey.providerId === sid)
    ? byKey
    : undefined;
}

function relanceKeyOf(query: unknown): string | undefined {
  if (typeof query !== 'object' || query === null || !('relance_key' in query)) return undefined;
  const value: unknown = query.relance_key;
  return typeof value === 'string' && value ? value : undefined;
}

interface StatusResult {
  messageId: string;
  deliveryStatus: string;
  suppressed: string | null;
}

async function applyStatus(
  tx: Sql,
  f: TwilioFields,
  key: string | undefined,
  at: string,
): Promise<StatusResult | undefined> {
  const sid = f.MessageSid ?? '';
  const row = await findSmsRow(tx, sid, key);
  if (!row) return undefined;
  const code = f.ErrorCode?.trim() || undefined;
  const status = `${(f.MessageStatus ?? '').trim().toLowerCase()}${code ? ` (error ${code})` : ''}`;
  if (rankOf(status) >= rankOf(row.deliveryStatus)) await recordDelivery(tx, row.id, status, at);
  const reason = code ? SUPPRESSING_CODES[code] : undefined;
  const address = row.recipient ?? f.To;
  if (reason && address) {
    await suppressAddress(tx, {
      channel: 'sms',
      address,
      reason,
      source: `Twilio status callback ${status} (MessageSid ${sid})`,
      at,
    });
  }
  return { messageId: row.id, deliveryStatus: status, suppressed: reason && address ? reason : null };
}

export function registerTwilioStatus(app: FastifyInstance, w: ResolvedWebhooks): void {
  app.post(
    '/v1/webhooks/twilio/status',
    { config: { access: 'public' } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const fields = verifiedTwilioFields(request, reply, w);
      if (!fields) return reply;
      requireFields(fields, ['MessageSid', 'MessageStatus']);
      const at = new Date(w.now()).toISOString();
      const key = relanceKeyOf(request.query);
      const result = await w.db.transaction((tx) => applyStatus(tx, fields, key, at));
      if (!result)
        throw new RelanceError(
          ErrorCode.NotFound,
          `No SMS with MessageSid "${fields.MessageSid ?? ''}" in the ledger: nothing was recorded`,
        );
      return result;
    },
  );
}
