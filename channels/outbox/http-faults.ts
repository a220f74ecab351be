/**
 * How provider HTTP faults look from the client side, shared by both channels and kept next to
 * the outbox that produces them: Retry-After (delta-seconds or an HTTP date, RFC 9110 §10.2.3;
 * SendGrid's X-RateLimit-Reset epoch seconds as a fallback) and network failures from axios,
 * which both SDKs use underneath.
 */
import {
  ProviderOutcomeUnknownError,
  ProviderUnreachableError,
  type ProviderTransientError,
} from '../channel';

type HeaderBag = Record<string, unknown> | undefined | null;

function header(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== lower) continue;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return undefined;
}

/** Milliseconds to wait before retrying, or undefined when the provider did not say. */
export function retryAfterMs(headers: HeaderBag, now: Date = new Date()): number | undefined {
  const retryAfter = header(headers, 'retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now.getTime());
  }
  const reset = header(headers, 'x-ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now.getTime());
  return undefined;
}

/** Failures with no HTTP answer at all (refused, reset, timed out, DNS): always worth a retry. */
export function isNetworkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if ('isAxiosError' in err && err.isAxiosError === true)
    return !('response' in err) || err.response === undefined;
  return 'code' in err && typeof err.code === 'string' && /^(E[A-Z_]+|ERR_[A-Z_]+)$/.test(err.code);
}

/** Codes raised before any byte reached the provider: the connection was never made. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * The typed error for a network failure: unreachable when no connection was made, otherwise
 * (a timeout, a reset, a connection cut before the answer) the provider may hold the message.
 */
export function networkFault(provider: string, err: unknown): ProviderTransientError {
  const detail = err instanceof Error ? err.message : String(err);
  const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : '';
  return NEVER_CONNECTED.has(code)
    ? new ProviderUnreachableError(`${provider} unreachable: ${detail}`)
    : new ProviderOutcomeUnknownError(`${provider} gave no answer (${code || 'no code'}): ${detail}`);
}
