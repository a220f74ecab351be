/**
 * Signed, expiring one-click unsubscribe tokens (RFC 8058 links): HMAC-SHA256 over the contact,
 * the channel and the expiry, so a link cannot be forged for someone else or reused forever.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface UnsubscribeClaim {
  contactId: string;
  channel: 'email' | 'sms';
  expiresAt: number;
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const sign = (payload: string, secret: string) =>
  createHmac('sha256', secret).update(payload).digest('base64url');

export function createUnsubscribeToken(claim: UnsubscribeClaim, secret: string): string {
  const payload = b64(JSON.stringify({ c: claim.contactId, ch: claim.channel, exp: claim.expiresAt }));
  return `${payload}.${sign(payload, secret)}`;
}

/** The claim of a valid token, or why it is not valid. */
export function verifyUnsubscribeToken(
  token: string,
  secret: string,
  nowMs: number,
): { ok: true; claim: UnsubscribeClaim } | { ok: false; reason: string } {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed token' };
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'bad signature' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed token' };
  }
  const p = parsed as { c?: unknown; ch?: unknown; exp?: unknown };
  if (typeof p.c !== 'string' || (p.ch !== 'email' && p.ch !== 'sms') || typeof p.exp !== 'number')
    return { ok: false, reason: 'malformed token' };
  if (p.exp < nowMs) return { ok: false, reason: 'expired token' };
  return { ok: true, claim: { contactId: p.c, channel: p.ch, expiresAt: p.exp } };
}
