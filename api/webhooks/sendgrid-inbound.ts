/**
 * POST /v1/webhooks/sendgrid/inbound: customers' email replies, as SendGrid's Inbound Parse posts
 * them (multipart/form-data, the default "parsed" mode: from, to, subject, text, html, headers,
 * envelope, charsets…). SendGrid signs nothing here, so the URL configured in SendGrid carries
 * basic credentials (relance:<secret>), checked before the body is read. The reply is matched to
 * the contact it answers (our message in its References, else its sender's address), labelled,
 * and kept once per Message-ID; SendGrid gets a 200 even for a sender we do not know (kept
 * unmatched), since any other answer makes it post the same email again for days.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidInput, type FieldIssue } from '../../domain/errors';
import {
  isAutomaticReply,
  parseHeaders,
  providerIdCandidates,
  referencedIds,
  senderAddress,
  textOfHtml,
} from '../../domain/inbound-email';
import { labelReply, ownWordsOfEmail, replyNeedsPerson, type ReplyLabel } from '../../domain/reply-labels';
import { textProblem } from '../../domain/text-guard';
import { contactsByEmail } from '../../store/contact-repository';
import { keepReply } from '../../ingestion/reply-tasks';
import { sentEmailsByProviderIds } from '../../store/inbound-repository';
import { deny, notConfigured, type ResolvedWebhooks } from './deps';
import { checkBasicSecret } from './signatures';

export const SENDGRID_INBOUND_PATH = '/v1/webhooks/sendgrid/inbound';
/** SendGrid accepts emails up to 30 MB, attachments included; we read that much at most. */
export const INBOUND_BODY_LIMIT = 30 * 1024 * 1024;
const FIELDS = ['from', 'to', 'subject', 'text', 'html', 'headers'] as const;
type Fields = Record<(typeof FIELDS)[number], string>;

/** Refuses before the body is read: no secret configured (503), no or wrong credentials. */
function guard(w: ResolvedWebhooks) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const secret = w.settings?.sendgridInboundSecret;
    if (!secret)
      return notConfigured(
        reply,
        'Inbound email is refused: no secret to check SendGrid with. Set SENDGRID_INBOUND_SECRET, or start with a data folder (one is generated there).',
      );
    const check = checkBasicSecret(request.headers.authorization, secret);
    if (check.ok) return undefined;
    request.log.warn({ status: check.status }, `SendGrid inbound refused: ${check.message}`);
    if (check.status === 401) void reply.header('www-authenticate', 'Basic realm="relance-inbound"');
    return deny(reply, check.status, check.message);
  };
}

/** The string fields SendGrid posts; attachments (files) are left aside. */
async function readForm(request: FastifyRequest): Promise<Fields> {
  const type = request.headers['content-type'] ?? '';
  let form: FormData;
  try {
    form = await new Response(request.body as Buffer, { headers: { 'content-type': type } }).formData();
  } catch {
    throw invalidInput([{ path: '(root)', message: 'a multipart/form-data body, as SendGrid posts it' }]);
  }
  const fields = {} as Fields;
  const issues: FieldIssue[] = [];
  for (const name of FIELDS) {
    const value = form.get(name);
    fields[name] = typeof value === 'string' ? value : '';
    const problem = textProblem(fields[name]);
    if (problem) issues.push({ path: name, message: problem });
  }
  if (!senderAddress(fields.from)) issues.push({ path: 'from', message: 'the sender’s address' });
  if (issues.length > 0) throw invalidInput(issues, 'The inbound email is invalid');
  return fields;
}

/**
 * The contacts a reply belongs to, and the message of ours it answers: a reference to one of our
 * emails decides when it leads to one contact (a batched send shares one SendGrid id, so the
 * sender picks among several); otherwise the sender's address does.
 */
async function match(w: ResolvedWebhooks, from: string, references: string[]) {
  const bySender = (await contactsByEmail(w.db, from)).map((c) => c.id);
  const ours = await sentEmailsByProviderIds(w.db, references.flatMap(providerIdCandidates));
  const answered = ours.filter((m) => bySender.includes(m.contactId));
  const candidates = answered.length > 0 ? answered : ours;
  const contacts = [...new Set(candidates.map((m) => m.contactId))];
  if (contacts.length === 1) return { contactIds: contacts, inReplyTo: candidates[0]?.id ?? null };
  return { contactIds: bySender, inReplyTo: null };
}

const idOf = (messageId: string | undefined, f: Fields) =>
  messageId
    ? `email:${messageId.replace(/^<|>$/g, '')}`
    : `email:sha256:${createHash('sha256').update(`${f.from}\n${f.headers}\n${f.text}`).digest('hex')}`;

export function registerSendgridInbound(app: FastifyInstance, w: ResolvedWebhooks): void {
  // Its own plugin scope: the multipart parser serves this route only.
  void app.register((scope, _options, done) => {
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: INBOUND_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      SENDGRID_INBOUND_PATH,
      { config: { access: 'public' }, bodyLimit: INBOUND_BODY_LIMIT, onRequest: guard(w) },
      async (request, reply) => {
        const f = await readForm(request);
        const headers = parseHeaders(f.headers);
        const from = senderAddress(f.from) ?? '';
        const text = ownWordsOfEmail(f.text || textOfHtml(f.html));
        const labels: ReplyLabel[] = labelReply(text).filter((l) => l !== 'other');
        if (isAutomaticReply(headers) && !labels.includes('auto_reply')) labels.push('auto_reply');
        if (labels.length === 0) labels.push('other');
        const { contactIds, inReplyTo } = await match(w, from, referencedIds(headers));
        const reason = replyNeedsPerson({ labels });
        const needsPerson = reason ?? null;
        // One that needs a person reaches its invoice sequence or opens a task (reply-tasks.ts).
        const kept = await keepReply(
          w.db,
          w.config,
          {
            id: idOf(headers.get('message-id'), f),
            channel: 'email',
            from,
            contactIds,
            subject: f.subject.slice(0, 998) || null,
            text,
            labels,
            inReplyTo,
            needsPerson,
            receivedAt: new Date(w.now()).toISOString(),
          },
          reason,
        );
        if (kept.routed.some((r) => r.to === 'sequence')) w.onCommitted?.();
        const log = { contactIds, labels, needsPerson, replay: !kept.fresh, routed: kept.routed };
        request.log.info(log, 'inbound email reply kept');
        return reply.status(200).send({ received: true, contacts: contactIds.length, labels });
      },
    );
    done();
  });
}
