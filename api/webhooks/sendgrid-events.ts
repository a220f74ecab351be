/**
 * POST /v1/webhooks/sendgrid: the Signed Event Webhook. The raw body is kept (this route only)
 * because the signature covers its exact bytes. SendGrid retries any non-2xx for 24 hours, so
 * once a batch verifies and parses, events for unknown messages are reported, never refused.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Sql } from '../../store/db';
import { DEFAULT_SENDGRID_MAX_AGE_MS, deny, type ResolvedWebhooks } from './deps';
import { applySendgridEvent, type SendgridEvent } from './sendgrid-apply';
import { parseSendgridEvents } from './sendgrid-schema';
import {
  checkSendgridSignature,
  parseSendgridPublicKey,
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
} from './signatures';

export interface SendgridBatchSummary {
  received: number;
  applied: number;
  ignored: number;
  unmatched: number;
  unmatchedEvents: { index: number; event: string; sgEventId: string | null; sgMessageId: string | null }[];
  suppressedAddresses: number;
  consentsWithdrawn: number;
}

async function applyBatch(
  tx: Sql,
  events: SendgridEvent[],
  receivedAt: string,
): Promise<SendgridBatchSummary> {
  const summary: SendgridBatchSummary = {
    received: events.length,
    applied: 0,
    ignored: 0,
    unmatched: 0,
    unmatchedEvents: [],
    suppressedAddresses: 0,
    consentsWithdrawn: 0,
  };
  for (const [index, event] of events.entries()) {
    const outcome = await applySendgridEvent(tx, event, receivedAt);
    summary[outcome.result] += 1;
    if (outcome.result === 'unmatched')
      summary.unmatchedEvents.push({
        index,
        event: event.event,
        sgEventId: event.sg_event_id ?? null,
        sgMessageId: event.sg_message_id ?? null,
      });
    if (outcome.suppressed) summary.suppressedAddresses += 1;
    summary.consentsWithdrawn += outcome.withdrawals;
  }
  return summary;
}

const NO_KEY =
  'SendGrid events are refused: no verification key is configured. Set SENDGRID_WEBHOOK_PUBLIC_KEY to the verification key of the Signed Event Webhook (Mail Settings → Event Webhook).';

export function registerSendgridEvents(app: FastifyInstance, w: ResolvedWebhooks): void {
  // Parsed once at start, so a malformed key stops the process instead of refusing every event.
  const key = w.settings?.sendgridPublicKey
    ? parseSendgridPublicKey(w.settings.sendgridPublicKey)
    : undefined;
  const maxAgeMs = w.settings?.sendgridMaxAgeMs ?? DEFAULT_SENDGRID_MAX_AGE_MS;

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    if (!key) return deny(reply, 401, NO_KEY);
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const check = checkSendgridSignature(
      {
        signature: request.headers[SENDGRID_SIGNATURE_HEADER],
        timestamp: request.headers[SENDGRID_TIMESTAMP_HEADER],
        rawBody,
      },
      key,
      { nowMs: w.now(), maxAgeMs },
    );
    if (!check.ok) {
      request.log.warn({ status: check.status }, `SendGrid webhook refused: ${check.message}`);
      return deny(reply, check.status, check.message);
    }
    const events = parseSendgridEvents(rawBody);
    const receivedAt = new Date(w.now()).toISOString();
    const summary = await w.db.transaction((tx) => applyBatch(tx, events, receivedAt));
    if (summary.unmatched > 0)
      request.log.warn({ unmatched: summary.unmatchedEvents }, 'SendGrid events for unknown messages');
    return reply.status(200).send(summary);
  }

  app.register((scope, _opts, done) => {
    // Only this scope reads bodies as bytes; the rest of the API keeps its JSON and form parsers.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, next) => next(null, body));
    scope.post('/v1/webhooks/sendgrid', { config: { access: 'public' } }, handle); // its signature
    done();
  });
}
