/**
 * GET and POST /v1/unsubscribe?token=…: the RFC 8058 one-click endpoint of List-Unsubscribe.
 * POST (what mailbox providers send, body `List-Unsubscribe=One-Click`, or the page's button)
 * withdraws marketing consent on the token's channel. GET never changes anything, because mail
 * scanners and link previews fetch every URL of a message; it shows a page whose button POSTs.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, invalidInput, RelanceError } from '../domain/errors';
import { latestConsent } from '../domain/policy/consent';
import type { Db } from '../store/db';
import { getContact, listConsents } from '../store/contact-repository';
import { verifyUnsubscribeToken, type UnsubscribeClaim } from './unsubscribe-token';
import { withdrawConsent } from './webhooks/consent-changes';
import { deny } from './webhooks/deps';

export interface UnsubscribeRouteDeps {
  db: Db;
  companyName: string;
  /** The secret the engine signs links with; without it no link can be honoured. */
  signingSecret: string | undefined;
  now: () => number;
}

export const ONE_CLICK_SOURCE = 'one-click unsubscribe (RFC 8058)';

type PageKind = 'confirm' | 'done' | 'already' | 'invalid' | 'expired' | 'unknown';
type Check =
  | { ok: true; claim: UnsubscribeClaim }
  | { ok: false; status: 400 | 403 | 404; kind: PageKind; message: string };

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function tokenOf(request: FastifyRequest): string | undefined {
  const query = request.query;
  if (typeof query !== 'object' || query === null || !('token' in query)) return undefined;
  const token: unknown = query.token;
  return typeof token === 'string' && token ? token : undefined;
}

async function checkToken(deps: UnsubscribeRouteDeps, token: string | undefined): Promise<Check> {
  if (!deps.signingSecret)
    throw new RelanceError(ErrorCode.NotConfigured, 'Unsubscribe links cannot be checked: no signing secret');
  if (!token) return { ok: false, status: 400, kind: 'invalid', message: 'The link has no token (?token=…)' };
  const verified = verifyUnsubscribeToken(token, deps.signingSecret, deps.now());
  if (!verified.ok) {
    const expired = verified.reason === 'expired token';
    const status = verified.reason === 'malformed token' ? 400 : 403;
    return {
      ok: false,
      status,
      kind: expired ? 'expired' : 'invalid',
      message: `Unsubscribe link refused: ${verified.reason}`,
    };
  }
  if (!(await getContact(deps.db, verified.claim.contactId)))
    return {
      ok: false,
      status: 404,
      kind: 'unknown',
      message: 'The link names a contact Relance no longer knows',
    };
  return verified;
}

async function alreadyWithdrawn(db: Db, claim: UnsubscribeClaim): Promise<boolean> {
  const latest = latestConsent(await listConsents(db, claim.contactId), claim.channel, 'marketing');
  return latest !== undefined && !latest.granted;
}

const CHANNEL_WORDS = {
  email: { fr: 'par e-mail', en: 'by email' },
  sms: { fr: 'par SMS', en: 'by text message' },
};

function pageText(kind: PageKind, channel: 'email' | 'sms'): { fr: [string, string]; en: [string, string] } {
  const w = CHANNEL_WORDS[channel];
  switch (kind) {
    case 'confirm':
      return {
        fr: [
          'Se désabonner',
          `Vous ne souhaitez plus recevoir nos offres et actualités ${w.fr} ? Confirmez ci-dessous. Les messages concernant vos factures et votre compte continueront de vous parvenir.`,
        ],
        en: [
          'Unsubscribe',
          `No longer want our offers and news ${w.en}? Please confirm below. Messages about your invoices and your account will still reach you.`,
        ],
      };
    case 'done':
    case 'already':
      return {
        fr: [
          kind === 'done' ? 'C’est fait' : 'Déjà fait',
          `Vous ne recevrez plus nos offres ${w.fr}. Vous pouvez changer d’avis à tout moment en nous contactant.`,
        ],
        en: [
          kind === 'done' ? 'Done' : 'Already done',
          `You will no longer receive our offers ${w.en}. You can change your mind at any time by contacting us.`,
        ],
      };
    case 'expired':
      return {
        fr: [
          'Lien expiré',
          'Ce lien de désabonnement a expiré. Utilisez celui d’un message plus récent, ou contactez-nous : nous ferons le nécessaire.',
        ],
        en: [
          'Link expired',
          'This unsubscribe link has expired. Please use the one in a more recent message, or contact us and we will take care of it.',
        ],
      };
    case 'invalid':
    case 'unknown':
      return {
        fr: [
          'Lien non valide',
          'Ce lien de désabonnement est incomplet ou a été modifié. Copiez le lien entier depuis le message, ou contactez-nous.',
        ],
        en: [
          'Invalid link',
          'This unsubscribe link is incomplete or has been altered. Please copy the whole link from the message, or contact us.',
        ],
      };
  }
}

function renderPage(companyName: string, kind: PageKind, channel: 'email' | 'sms', token?: string): string {
  const t = pageText(kind, channel);
  const section = (lang: 'fr' | 'en') =>
    `<section lang="${lang}"><h1>${escapeHtml(t[lang][0])}</h1><p>${escapeHtml(t[lang][1])}</p></section>`;
  const form =
    kind === 'confirm' && token
      ? `<form method="post" action="?token=${escapeHtml(encodeURIComponent(token))}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Me désabonner · Unsubscribe</button></form>`
      : '';
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(companyName)} — ${escapeHtml(t.fr[0])} / ${escapeHtml(t.en[0])}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#222;line-height:1.5}section+section{border-top:1px solid #ddd;margin-top:1.5rem;padding-top:.5rem}h1{font-size:1.3rem}button{font-size:1rem;padding:.6rem 1.2rem;margin-top:1.5rem;cursor:pointer}small{color:#666}</style></head><body><main>${section('fr')}${section('en')}${form}<p><small>${escapeHtml(companyName)}</small></p></main></body></html>`;
}

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .headers({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer', // the token must not leak to other sites
      'x-robots-tag': 'noindex',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    })
    .send(html);
}

const wantsHtml = (request: FastifyRequest): boolean => (request.headers.accept ?? '').includes('text/html');

async function showPage(deps: UnsubscribeRouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const token = tokenOf(request);
  const check = await checkToken(deps, token);
  if (!check.ok) return sendPage(reply, check.status, renderPage(deps.companyName, check.kind, 'email'));
  const kind = (await alreadyWithdrawn(deps.db, check.claim)) ? 'already' : 'confirm';
  return sendPage(reply, 200, renderPage(deps.companyName, kind, check.claim.channel, token));
}

async function unsubscribe(deps: UnsubscribeRouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const check = await checkToken(deps, tokenOf(request));
  if (!check.ok) {
    if (wantsHtml(request))
      return sendPage(reply, check.status, renderPage(deps.companyName, check.kind, 'email'));
    if (check.status === 400) throw invalidInput([{ path: 'token', message: check.message }], check.message);
    if (check.status === 404) throw new RelanceError(ErrorCode.NotFound, check.message);
    return deny(reply, check.status, check.message);
  }
  const { contactId, channel } = check.claim;
  const now = new Date(deps.now()).toISOString();
  const appended = await deps.db.transaction((tx) =>
    withdrawConsent(tx, {
      contactId,
      channel,
      purpose: 'marketing',
      source: ONE_CLICK_SOURCE,
      at: now,
      receivedAt: now,
      skipIfWithdrawn: true, // a second click is the same wish, not a new fact
    }),
  );
  request.log.info({ contactId, channel, appended }, 'one-click unsubscribe');
  if (wantsHtml(request))
    return sendPage(reply, 200, renderPage(deps.companyName, appended ? 'done' : 'already', channel));
  return reply.send({
    status: 'unsubscribed',
    channel,
    purpose: 'marketing',
    alreadyUnsubscribed: !appended,
  });
}

export function registerUnsubscribeRoute(app: FastifyInstance, deps: UnsubscribeRouteDeps): void {
  app.register((scope, _opts, done) => {
    // Mailbox providers POST form-urlencoded or multipart bodies (RFC 8058); the token in the URL
    // is all that counts, so any body is accepted and ignored.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_r, _body, next) =>
      next(null, undefined),
    );
    // Public: the signed token in the link is the credential (contract section 7).
    scope.get('/v1/unsubscribe', { config: { access: 'public' } }, (request, reply) =>
      showPage(deps, request, reply),
    );
    scope.post('/v1/unsubscribe', { config: { access: 'public' } }, (request, reply) =>
      unsubscribe(deps, request, reply),
    );
    done();
  });
}
