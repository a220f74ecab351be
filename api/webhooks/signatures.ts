/**
 * Proof that a webhook request comes from the provider. SendGrid signs `timestamp + raw body`
 * with ECDSA P-256 / SHA-256 (signature base64 DER, key base64 DER SPKI); Twilio signs the URL
 * and the sorted form parameters with HMAC-SHA1 of the auth token, checked by its own SDK.
 */
import { createHash, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import twilio from 'twilio';
import { ErrorCode, RelanceError } from '../../domain/errors';

export type SignatureCheck = { ok: true } | { ok: false; status: 401 | 403; message: string };

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';
export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/** The dashboard shows the key as base64 DER without PEM framing; PEM is accepted too. */
export function parseSendgridPublicKey(text: string): KeyObject {
  try {
    const trimmed = text.trim();
    if (trimmed.includes('-----BEGIN')) return createPublicKey(trimmed);
    return createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new RelanceError(
      ErrorCode.InvalidConfig,
      `SENDGRID_WEBHOOK_PUBLIC_KEY is not a public key (expected the base64 verification key of the Signed Event Webhook): ${detail}`,
    );
  }
}

const oneHeader = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

export interface SendgridSignedRequest {
  signature: string | string[] | undefined;
  timestamp: string | string[] | undefined;
  rawBody: Buffer;
}

export function checkSendgridSignature(
  request: SendgridSignedRequest,
  key: KeyObject,
  opts: { nowMs: number; maxAgeMs: number },
): SignatureCheck {
  const signature = oneHeader(request.signature)?.trim();
  const timestamp = oneHeader(request.timestamp)?.trim();
  if (!signature || !timestamp)
    return {
      ok: false,
      status: 401,
      message: 'Missing X-Twilio-Email-Event-Webhook-Signature or X-Twilio-Email-Event-Webhook-Timestamp',
    };
  if (!/^\d{1,12}$/.test(timestamp))
    return { ok: false, status: 403, message: 'X-Twilio-Email-Event-Webhook-Timestamp is not a Unix time' };
  let valid: boolean;
  try {
    const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.rawBody]);
    valid = verify('sha256', signed, key, Buffer.from(signature, 'base64'));
  } catch {
    valid = false; // a signature that is not DER at all is as bad as a wrong one
  }
  if (!valid) return { ok: false, status: 403, message: 'The SendGrid event signature does not verify' };
  // Checked after the signature so that the timestamp itself is known to be SendGrid's.
  const ageMs = opts.nowMs - Number(timestamp) * 1000;
  if (Math.abs(ageMs) > opts.maxAgeMs)
    return {
      ok: false,
      status: 403,
      message: `The signed timestamp is ${Math.round(ageMs / 1000)} s away from now (at most ${opts.maxAgeMs / 1000} s): refused as a replay`,
    };
  return { ok: true };
}

/** Form parameters as Twilio signed them: a repeated key keeps all its values. */
export type TwilioParams = Record<string, string | string[]>;

export function checkTwilioSignature(
  signatureHeader: string | string[] | undefined,
  authToken: string,
  url: string,
  params: TwilioParams,
): SignatureCheck {
  const signature = oneHeader(signatureHeader)?.trim();
  if (!signature) return { ok: false, status: 401, message: 'Missing X-Twilio-Signature' };
  return twilio.validateRequest(authToken, signature, url, params)
    ? { ok: true }
    : { ok: false, status: 403, message: `The Twilio signature does not verify for ${url}` };
}

/** The user name of the inbound webhook's URL credentials: https://relance:<secret>@host/… */
export const INBOUND_USER = 'relance';

/**
 * HTTP basic credentials against a per-installation secret, compared in constant time (hashes of
 * equal length); 401 without credentials, 403 with wrong ones.
 */
export function checkBasicSecret(header: string | string[] | undefined, secret: string): SignatureCheck {
  const match = /^Basic[ \t]+([A-Za-z0-9+/=]{1,1024})[ \t]*$/i.exec(oneHeader(header) ?? '');
  if (!match?.[1]) return { ok: false, status: 401, message: 'Missing HTTP basic credentials' };
  const given = createHash('sha256').update(Buffer.from(match[1], 'base64')).digest();
  const expected = createHash('sha256').update(`${INBOUND_USER}:${secret}`, 'utf8').digest();
  return timingSafeEqual(given, expected)
    ? { ok: true }
    : { ok: false, status: 403, message: 'The inbound webhook credentials do not match' };
}
