/**
 * SendGrid v3 `POST /v3/mail/send` as the outbox serves it: Bearer auth, SendGrid's validation,
 * 202 with an empty body and `X-Message-Id`. One record per `to` recipient of each
 * personalization, with that personalization's substitutions applied, because that is what each
 * recipient actually reads (the payload keeps the request's other fields, and the tags).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answerFault, type FaultQueue } from './faults';
import type { OutboxRecord, OutboxStore } from './outbox-store';
import { sendgridError } from './provider-errors';
import { validateMailSend, type MailPersonalization, type MailSendRequest } from './sendgrid-validation';

export interface SendgridRouteDeps {
  store: OutboxStore;
  apiKey: string;
  faults: FaultQueue;
  clock: () => Date;
}

/** SendGrid message ids are 22 url-safe base64 characters. */
const newMessageId = (): string => randomBytes(16).toString('base64url');

function substitute(text: string, substitutions: Record<string, string> | undefined): string {
  const keys = Object.keys(substitutions ?? {}).filter((k) => k.length > 0);
  if (!substitutions || keys.length === 0) return text;
  // One pass, longest tag first, so a value is never substituted again and `-name-` never
  // clobbers `-name_full-`.
  const escaped = keys
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return text.replace(new RegExp(escaped.join('|'), 'g'), (tag) => substitutions[tag] ?? tag);
}

const stripTags = (html: string): string =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The personalization as kept in the payload: its substitution values are already in the
 * record's text, html and subject (a campaign's whole rendered body travels as one), so only
 * their tags are kept, not a second copy of every body.
 */
function personalizationKept(p: MailPersonalization): Record<string, unknown> {
  const { substitutions, ...rest } = p;
  return substitutions ? { ...rest, substitution_tags: Object.keys(substitutions) } : rest;
}

/** A per-recipient view of the request: what SendGrid would render for this one address. */
function recordsOf(mail: MailSendRequest, messageId: string, receivedAt: string): OutboxRecord[] {
  const { personalizations, ...shared } = mail;
  const text = mail.content.find((c) => c.type.toLowerCase() === 'text/plain')?.value;
  const html = mail.content.find((c) => c.type.toLowerCase() === 'text/html')?.value;
  let index = 0;
  return personalizations.flatMap((p: MailPersonalization) =>
    p.to.map((to): OutboxRecord => {
      const subs = p.substitutions;
      const renderedHtml = html === undefined ? null : substitute(html, subs);
      return {
        id: `${messageId}.${index++}`,
        channel: 'email',
        to: to.email.trim(),
        from: mail.from.email,
        subject: substitute(p.subject ?? mail.subject ?? '', subs),
        text: text === undefined ? stripTags(renderedHtml ?? '') : substitute(text, subs),
        html: renderedHtml,
        headers: { ...mail.headers, ...p.headers },
        payload: { ...shared, personalizations: [{ ...personalizationKept(p), to: [to] }] },
        idempotencyKey: p.custom_args?.relance_key ?? mail.custom_args?.relance_key ?? null,
        receivedAt,
      };
    }),
  );
}

function recipientsOf(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || !('personalizations' in body)) return [];
  const personalizations: unknown = body.personalizations;
  if (!Array.isArray(personalizations)) return [];
  return personalizations.flatMap((p: unknown) => {
    const to: unknown = typeof p === 'object' && p !== null && 'to' in p ? p.to : [];
    return Array.isArray(to)
      ? to.flatMap((t: unknown) =>
          typeof t === 'object' && t !== null && 'email' in t && typeof t.email === 'string' ? [t.email] : [],
        )
      : [];
  });
}

async function mailSend(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: SendgridRouteDeps,
): Promise<unknown> {
  const auth = request.headers.authorization;
  if (!auth) return reply.code(401).send(sendgridError('authorization required'));
  if (auth !== `Bearer ${deps.apiKey}`) {
    return reply
      .code(401)
      .send(sendgridError('The provided authorization grant is invalid, expired, or revoked'));
  }
  const fault = deps.faults.take('email', recipientsOf(request.body));
  if (fault) return answerFault(reply, 'email', fault);
  const validation = validateMailSend(request.body);
  if (!validation.ok) return reply.code(400).send({ errors: validation.errors });
  const messageId = newMessageId();
  await deps.store.recordAll(recordsOf(validation.mail, messageId, deps.clock().toISOString()));
  return reply.code(202).header('x-message-id', messageId).send();
}

export function registerSendgridRoutes(app: FastifyInstance, deps: SendgridRouteDeps): void {
  app.post('/v3/mail/send', (request, reply) => mailSend(request, reply, deps));
}
