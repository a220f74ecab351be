/**
 * The part both Twilio webhooks share: read the form parameters exactly as Twilio signed them,
 * check X-Twilio-Signature against the URL Twilio called (public URL + path + query, since the
 * worker appends `?relance_key=…` to StatusCallback), and answer 401/403 before anything changes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidInput } from '../../domain/errors';
import { deny, notConfigured, type ResolvedWebhooks } from './deps';
import { checkTwilioSignature, TWILIO_SIGNATURE_HEADER, type TwilioParams } from './signatures';

/** Form fields with the first value of a repeated key, for reading. */
export type TwilioFields = Record<string, string>;

/** Values that are not form strings cannot have been signed by Twilio; they are left out. */
function formParams(body: unknown): TwilioParams {
  const params: TwilioParams = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return params;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') params[key] = value;
    else if (Array.isArray(value)) params[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return params;
}

/**
 * The verified fields of the request, or undefined when a refusal was sent. Without a token the
 * webhooks cannot check anything, so they refuse everything (503): never a well-known token.
 */
export function verifiedTwilioFields(
  request: FastifyRequest,
  reply: FastifyReply,
  w: ResolvedWebhooks,
): TwilioFields | undefined {
  const token = w.settings?.twilioAuthToken;
  if (!token) {
    void notConfigured(
      reply,
      'Twilio webhooks are refused: no secret to verify them. Set TWILIO_AUTH_TOKEN, or use the local outbox (its token is generated under the data folder).',
    );
    return undefined;
  }
  const params = formParams(request.body);
  const url = `${w.publicUrl}${request.url}`;
  const check = checkTwilioSignature(request.headers[TWILIO_SIGNATURE_HEADER], token, url, params);
  if (!check.ok) {
    request.log.warn({ status: check.status, url }, `Twilio webhook refused: ${check.message}`);
    void deny(reply, check.status, check.message);
    return undefined;
  }
  const fields: TwilioFields = {};
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) fields[key] = first;
  }
  return fields;
}

/** Names every missing required field, as the rest of the API does. */
export function requireFields(fields: TwilioFields, names: string[]): void {
  const missing = names.filter((n) => !fields[n]?.trim());
  if (missing.length > 0)
    throw invalidInput(
      missing.map((path) => ({ path, message: 'required by Twilio webhooks' })),
      'The Twilio webhook lacks required fields',
    );
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);

/** TwiML: empty (Twilio sends nothing back) or one reply message. */
export function twiml(reply: FastifyReply, message?: string): FastifyReply {
  const body =
    message === undefined ? '<Response/>' : `<Response><Message>${escapeXml(message)}</Message></Response>`;
  return reply
    .status(200)
    .type('text/xml; charset=utf-8')
    .send(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
}
