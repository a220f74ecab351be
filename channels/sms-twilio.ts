/**
 * SMS through Twilio Programmable Messaging with the official `twilio` SDK. With `baseUrl` the
 * SDK's own HTTP client is kept and only the origin is rewritten, so the outbox receives exactly
 * the form-encoded request production sends.
 *
 * Outcomes: 201 → accepted (providerId = SM sid); 21211 invalid number, 21614 not SMS-capable,
 * 21610 unsubscribed (STOP) → rejected/invalid_address; other 4xx → rejected/provider_rejected;
 * 429, 5xx → ProviderAnsweredError (retryAfterMs from Retry-After, which the SDK's RestException
 * drops, hence the HTTP client below reads it); network faults → ProviderUnreachableError or
 * ProviderOutcomeUnknownError; 401/403 → ProviderCredentialsError.
 */
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { z } from 'zod';
import { DELIVERY_RETRY_WINDOW_MS } from '../domain/sequence-types';
import {
  ProviderAnsweredError,
  ProviderCredentialsError,
  ProviderTransientError,
  type OutgoingSms,
  type SendResult,
  type SmsChannel,
} from './channel';
import { isNetworkError, networkFault, retryAfterMs } from './outbox/http-faults';
import { findInOutbox } from './outbox/outbox-lookup';

export interface TwilioSmsOptions {
  accountSid: string;
  authToken: string;
  /** Root URL of a Twilio-compatible server (the local outbox); api.twilio.com when absent. */
  baseUrl?: string;
  timeoutMs?: number;
  /**
   * How `confirm` answers. `outbox`: exact lookup of the key the outbox read from StatusCallback
   * (default with baseUrl). `recent-messages`: Twilio keeps no custom metadata on a Message, so
   * list recent messages to the number; any within `confirmWindowMs` → undefined ("cannot tell,
   * assume sent"), none → null ("certainly not sent") (default without baseUrl).
   */
  confirmVia?: 'outbox' | 'recent-messages';
  confirmWindowMs?: number;
  clock?: () => Date;
}

export interface TwilioSmsChannel extends SmsChannel {
  confirm(idempotencyKey: string, to: string): Promise<string | undefined | null>;
}

/** Codes that say the recipient's number itself cannot take this SMS. */
const INVALID_ADDRESS_CODES = new Set([21211, 21614, 21610]);
/**
 * A confirmation may come as late as the last retry of the send activity, so the lookback covers
 * the whole retry window, with an hour to spare for clock differences.
 */
export const DEFAULT_CONFIRM_WINDOW_MS = DELIVERY_RETRY_WINDOW_MS + 60 * 60 * 1000;

export interface TwilioHttpClientOptions {
  baseUrl?: string;
  timeoutMs?: number;
  /** Throw ProviderTransientError on 429/5xx (with Retry-After) instead of letting the SDK fail. */
  transientErrors?: boolean;
}

/** Redirects any *.twilio.com request to `baseUrl`, keeping path and query. */
export function rewriteTwilioUri(uri: string, baseUrl: string): string {
  const target = new URL(uri);
  if (!target.hostname.endsWith('twilio.com')) return uri;
  const base = new URL(baseUrl);
  return new URL(`${base.pathname.replace(/\/$/, '')}${target.pathname}${target.search}`, base.origin).href;
}

/** Twilio's own RequestClient (axios, form encoding, Basic auth), pointed elsewhere if asked. */
export class TwilioHttpClient extends twilio.RequestClient {
  private readonly options: TwilioHttpClientOptions;

  constructor(options: TwilioHttpClientOptions = {}) {
    super({ timeout: options.timeoutMs ?? 15_000 });
    this.options = options;
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const uri = this.options.baseUrl ? rewriteTwilioUri(opts.uri, this.options.baseUrl) : opts.uri;
    const response = await super.request({ ...opts, uri });
    if (this.options.transientErrors && (response.statusCode === 429 || response.statusCode >= 500)) {
      const headers = (response.headers ?? {}) as Record<string, unknown>;
      throw new ProviderAnsweredError(
        `Twilio answered ${response.statusCode}: ${describeBody(response.body)}`,
        response.statusCode,
        retryAfterMs(headers),
      );
    }
    return response;
  }
}

const twilioErrorBody = z.object({ code: z.number().optional(), message: z.string().optional() });

function describeBody(body: unknown): string {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.slice(0, 200);
    }
  }
  const parsed = twilioErrorBody.safeParse(value);
  return parsed.success ? `${parsed.data.code ?? ''} ${parsed.data.message ?? ''}`.trim() : 'no error body';
}

interface TwilioApiError {
  status: number;
  code?: number;
  message: string;
}

function isTwilioApiError(err: unknown): err is Error & TwilioApiError {
  return err instanceof Error && 'status' in err && typeof err.status === 'number';
}

/** Sorts an SDK failure into a rejection, a retry (thrown) or a bug (rethrown). */
function classify(err: unknown): SendResult {
  if (err instanceof ProviderTransientError) throw err;
  if (isTwilioApiError(err)) {
    const { status, code, message } = err;
    if (status === 429 || status >= 500)
      throw new ProviderAnsweredError(`Twilio answered ${status}: ${message}`, status);
    if (status === 401 || status === 403) {
      throw new ProviderCredentialsError(
        `Twilio refused the credentials (HTTP ${status}, code ${code ?? '?'}): ${message}. Check TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN.`,
        status,
      );
    }
    const detail = `${code ?? status}: ${message}`;
    if (code !== undefined && INVALID_ADDRESS_CODES.has(code))
      return { kind: 'rejected', reason: 'invalid_address', detail };
    return { kind: 'rejected', reason: 'provider_rejected', detail };
  }
  if (isNetworkError(err)) throw networkFault('Twilio', err);
  throw err;
}

export function withRelanceKey(statusCallback: string, idempotencyKey: string): string {
  const url = new URL(statusCallback);
  url.searchParams.set('relance_key', idempotencyKey);
  return url.href;
}

/** A Messaging Service SID may stand in for a sender number. */
const isMessagingServiceSid = (from: string): boolean => /^MG[0-9a-f]{32}$/i.test(from);

function createParams(m: OutgoingSms): {
  to: string;
  body: string;
  from?: string;
  messagingServiceSid?: string;
  statusCallback?: string;
} {
  return {
    to: m.to,
    body: m.body,
    ...(isMessagingServiceSid(m.from) ? { messagingServiceSid: m.from } : { from: m.from }),
    ...(m.statusCallback ? { statusCallback: withRelanceKey(m.statusCallback, m.idempotencyKey) } : {}),
  };
}

async function confirmInOutbox(baseUrl: string, key: string, to: string): Promise<string | null> {
  const record = await findInOutbox(baseUrl, key);
  return record?.channel === 'sms' && record.to === to ? record.id : null;
}

export function createTwilioSmsChannel(opts: TwilioSmsOptions): TwilioSmsChannel {
  const httpClient = new TwilioHttpClient({
    ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    transientErrors: true,
  });
  const client = twilio(opts.accountSid, opts.authToken, { httpClient });
  const clock = opts.clock ?? (() => new Date());
  const confirmVia = opts.confirmVia ?? (opts.baseUrl ? 'outbox' : 'recent-messages');
  if (confirmVia === 'outbox' && !opts.baseUrl)
    throw new Error('confirmVia "outbox" needs the outbox baseUrl');

  async function confirmByRecentMessages(to: string): Promise<undefined | null> {
    const since = clock().getTime() - (opts.confirmWindowMs ?? DEFAULT_CONFIRM_WINDOW_MS);
    // Queued messages have no date_sent yet, so filter on date_created here, not with DateSent.
    const recent = await client.messages.list({ to, limit: 20, pageSize: 20 });
    return recent.some((m) => m.dateCreated.getTime() >= since) ? undefined : null;
  }

  return {
    async send(message) {
      try {
        const created = await client.messages.create(createParams(message));
        return { kind: 'accepted', provider: 'twilio', providerId: created.sid };
      } catch (err) {
        return classify(err);
      }
    },

    async confirm(idempotencyKey, to) {
      try {
        if (confirmVia === 'outbox' && opts.baseUrl)
          return await confirmInOutbox(opts.baseUrl, idempotencyKey, to);
        return await confirmByRecentMessages(to);
      } catch (err) {
        if (err instanceof ProviderTransientError || !isNetworkError(err)) throw err;
        throw networkFault('Twilio', err);
      }
    },
  };
}
