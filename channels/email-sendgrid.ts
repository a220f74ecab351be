/**
 * Email through SendGrid v3 with the official SDK (@sendgrid/mail over @sendgrid/client; a
 * campaign's request of 1,000 goes through the client, with the body the Mail helper would
 * build). With `baseUrl` the same SDK talks to the local outbox, so tests exercise the
 * production request.
 *
 * Outcomes: 202 → accepted (providerId = X-Message-Id); 400 naming a recipient address →
 * rejected/invalid_address; other 4xx → rejected/provider_rejected; 429, 5xx →
 * ProviderAnsweredError (retryAfterMs from Retry-After); network faults → ProviderUnreachableError
 * or ProviderOutcomeUnknownError; 401/403 → ProviderCredentialsError, because only an operator
 * fixing the key helps, and Temporal keeps the message until then.
 */
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { z } from 'zod';
import {
  ProviderAnsweredError,
  ProviderCredentialsError,
  type EmailChannel,
  type ProviderTransientError,
  type SendResult,
} from './channel';
import { isNetworkError, networkFault, retryAfterMs } from './outbox/http-faults';
import { findInOutbox } from './outbox/outbox-lookup';
import { batchRequestBody, filled, TAG_LEFT, TAG_RIGHT, toMailData } from './sendgrid-mail-body';

export interface SendgridEmailOptions {
  apiKey: string;
  /** Root URL of a SendGrid-compatible server (the local outbox); the real API when absent. */
  baseUrl?: string;
  timeoutMs?: number;
}

/**
 * A campaign-size send: one template, many recipients. SendGrid renders each recipient's copy
 * from `substitutions`, so a 1000-recipient chunk is one request instead of 1000. Placeholders in
 * subject/text/html are written `[%name%]` (see `batchTag`), not `{{name}}`, so they never collide
 * with Handlebars templates rendered before the send.
 */
export interface EmailBatch {
  from: { email: string; name: string };
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  categories?: string[];
  tracking?: { opens: boolean; clicks: boolean };
  recipients: BatchRecipient[];
}

export interface BatchRecipient {
  to: string;
  toName?: string;
  /** Tag name (without the [% %] wrappers) → value; at most 10,000 bytes per recipient. */
  substitutions?: Record<string, string>;
  /** This recipient's own subject (SendGrid personalization subject), over the batch's. */
  subject?: string;
  /** This recipient's own headers (e.g. a personal List-Unsubscribe link). */
  headers?: Record<string, string>;
  idempotencyKey: string;
  messageId: string;
}

/**
 * `retry`: not sent, for a reason that may pass (rate limit, outage, credentials); send again
 * with the same idempotency key. A batch never throws for provider answers, because part of it
 * may already be accepted and a blind retry of everything would send those twice.
 */
export type BatchSendResult =
  SendResult | { kind: 'retry'; detail: string; retryAfterMs?: number; error?: ProviderTransientError };

export interface SendgridEmailChannel extends EmailChannel {
  sendBatch(batch: EmailBatch): Promise<BatchSendResult[]>;
  confirm(idempotencyKey: string, to: string): Promise<string | undefined | null>;
}

/** SendGrid's per-request ceiling on personalizations (and on recipients, one each here). */
export const MAX_PERSONALIZATIONS = 1000;

export const batchTag = (name: string): string => `${TAG_LEFT}${name}${TAG_RIGHT}`;

interface ResponseErrorLike {
  code: number;
  response: { headers?: Record<string, unknown>; body?: unknown };
}

const sendgridErrorBody = z.object({
  errors: z.array(z.object({ message: z.string().nullish(), field: z.string().nullish() })),
});

function isResponseError(err: unknown): err is ResponseErrorLike {
  return (
    err instanceof Error &&
    'code' in err &&
    typeof err.code === 'number' &&
    'response' in err &&
    typeof err.response === 'object' &&
    err.response !== null
  );
}

const RECIPIENT_FIELD = /^personalizations\.(\d+)\.(to|cc|bcc)(\.\d+\.email)?$/;

/** Indices of personalizations whose recipient address SendGrid refused, and the full detail. */
function readBadRequest(body: unknown): { badRecipients: Set<number>; detail: string } {
  const parsed = sendgridErrorBody.safeParse(body);
  const errors = parsed.success ? parsed.data.errors : [];
  const badRecipients = new Set<number>();
  for (const e of errors) {
    const match = RECIPIENT_FIELD.exec(e.field ?? '');
    if (match?.[1] !== undefined) badRecipients.add(Number(match[1]));
  }
  const detail = errors
    .map((e) => (e.field ? `${e.field}: ${e.message ?? ''}` : (e.message ?? '')))
    .join('; ');
  return { badRecipients, detail: detail || 'SendGrid answered 400 Bad Request' };
}

type Failure =
  | { kind: 'bad-request'; badRecipients: Set<number>; detail: string }
  | { kind: 'rejected'; detail: string }
  | { kind: 'transient'; error: ProviderTransientError };

/** Sorts an SDK failure into what Relance does next; unknown errors (our bugs) are rethrown. */
function classify(err: unknown): Failure {
  if (isResponseError(err)) {
    const status = err.code;
    const summary = readBadRequest(err.response.body).detail;
    if (status === 429 || status >= 500) {
      const wait = retryAfterMs(err.response.headers);
      return {
        kind: 'transient',
        error: new ProviderAnsweredError(`SendGrid answered ${status}: ${summary}`, status, wait),
      };
    }
    if (status === 401 || status === 403) {
      throw new ProviderCredentialsError(
        `SendGrid refused the API key (HTTP ${status}): ${summary}. Check SENDGRID_API_KEY.`,
        status,
      );
    }
    if (status === 400) return { kind: 'bad-request', ...readBadRequest(err.response.body) };
    return { kind: 'rejected', detail: `HTTP ${status}: ${summary}` };
  }
  if (isNetworkError(err)) return { kind: 'transient', error: networkFault('SendGrid', err) };
  throw err;
}

/** The SDK types response headers as `any`; only the one string we need is read. */
function messageIdOf(response: { headers: unknown }): string {
  const headers = response.headers;
  const id: unknown =
    typeof headers === 'object' && headers !== null && 'x-message-id' in headers
      ? headers['x-message-id']
      : undefined;
  return typeof id === 'string' ? id : '';
}

/** Looks a key up in the local outbox; null when it holds no such email to `to`. */
async function confirmInOutbox(baseUrl: string, key: string, to: string): Promise<string | null> {
  const record = await findInOutbox(baseUrl, key);
  if (!record || record.channel !== 'email' || record.to.toLowerCase() !== to.toLowerCase()) return null;
  // Record ids are `<X-Message-Id>.<n>`; the ledger knows the X-Message-Id that send returned.
  return record.id.split('.')[0] ?? record.id;
}

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

export function createSendgridEmailChannel(opts: SendgridEmailOptions): SendgridEmailChannel {
  const client = new Client();
  client.setApiKey(opts.apiKey);
  // setApiKey resets the base URL to the region's host, so the override must come after it.
  if (opts.baseUrl) client.setDefaultRequest('baseUrl', withSlash(opts.baseUrl));
  const mail = new MailService();
  mail.setClient(client);
  mail.setTimeout(opts.timeoutMs ?? 15_000);
  mail.setSubstitutionWrappers(TAG_LEFT, TAG_RIGHT);

  async function sendChunk(batch: EmailBatch, chunk: BatchRecipient[]): Promise<BatchSendResult[]> {
    try {
      // The body the SDK's Mail helper would build, without its two deep copies (sendgrid-mail-body.ts).
      const [response] = await client.request({
        method: 'POST',
        url: '/v3/mail/send',
        ...(filled(batch.headers) ? { headers: batch.headers } : {}),
        body: batchRequestBody(batch, chunk),
      });
      const providerId = messageIdOf(response);
      return chunk.map(() => ({ kind: 'accepted', provider: 'sendgrid', providerId }));
    } catch (err) {
      const failure = classifyForBatch(err);
      if (failure.kind === 'transient') {
        const { message, retryAfterMs: wait } = failure.error;
        return chunk.map(() => ({
          kind: 'retry',
          detail: message,
          ...(wait !== undefined ? { retryAfterMs: wait } : {}),
          error: failure.error,
        }));
      }
      if (failure.kind === 'rejected' || failure.badRecipients.size === 0) {
        return chunk.map(() => ({ kind: 'rejected', reason: 'provider_rejected', detail: failure.detail }));
      }
      // One bad address refuses the whole request: drop the refused ones, resend the others once
      // more (each round removes at least one, so this ends).
      const keep = chunk.filter((_, i) => !failure.badRecipients.has(i));
      const retried = keep.length > 0 ? await sendChunk(batch, keep) : [];
      let next = 0;
      return chunk.map((_, i): BatchSendResult =>
        failure.badRecipients.has(i)
          ? { kind: 'rejected', reason: 'invalid_address', detail: failure.detail }
          : (retried[next++] ?? { kind: 'retry', detail: 'not resent' }),
      );
    }
  }

  return {
    async send(message) {
      try {
        const [response] = await mail.send(toMailData(message));
        return { kind: 'accepted', provider: 'sendgrid', providerId: messageIdOf(response) };
      } catch (err) {
        const failure = classify(err);
        if (failure.kind === 'transient') throw failure.error;
        if (failure.kind === 'bad-request' && failure.badRecipients.size > 0) {
          return { kind: 'rejected', reason: 'invalid_address', detail: failure.detail };
        }
        return { kind: 'rejected', reason: 'provider_rejected', detail: failure.detail };
      }
    },

    /** Chunks of 1000, sent one after the other; after a transient failure the rest wait too. */
    async sendBatch(batch) {
      const results: BatchSendResult[] = [];
      for (let start = 0; start < batch.recipients.length; start += MAX_PERSONALIZATIONS) {
        const chunk = batch.recipients.slice(start, start + MAX_PERSONALIZATIONS);
        const halted = results.find((r) => r.kind === 'retry');
        results.push(...(halted ? chunk.map(() => halted) : await sendChunk(batch, chunk)));
      }
      return results;
    },

    /** Real SendGrid cannot look a custom arg up synchronously: undefined (assume accepted). */
    async confirm(idempotencyKey, to) {
      if (!opts.baseUrl) return undefined;
      return confirmInOutbox(opts.baseUrl, idempotencyKey, to);
    },
  };
}

/** In a batch, credentials failures become `retry` results instead of an exception. */
function classifyForBatch(err: unknown): Failure {
  try {
    return classify(err);
  } catch (thrown) {
    if (!isResponseError(err)) throw thrown;
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return { kind: 'transient', error: new ProviderAnsweredError(message, err.code) };
  }
}
