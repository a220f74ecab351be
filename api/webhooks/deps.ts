/** What the provider webhooks and the unsubscribe endpoint need, and the one way they refuse. */
import type { FastifyReply } from 'fastify';
import type { RelanceConfig } from '../../config/schema';
import { ErrorCode } from '../../domain/errors';
import type { Db } from '../../store/db';

export interface WebhookDeps {
  /**
   * TWILIO_AUTH_TOKEN, or the local outbox's per-installation token when SMS go to the outbox
   * (runtime/local-services.ts twilioWebhookToken). Without one, Twilio webhooks answer 503.
   */
  twilioAuthToken?: string | undefined;
  /** SENDGRID_WEBHOOK_PUBLIC_KEY (base64 DER SPKI, or PEM); without it SendGrid events are refused. */
  sendgridPublicKey?: string | undefined;
  /**
   * SENDGRID_INBOUND_SECRET, or one generated under the data folder: the password of the basic
   * credentials in the Inbound Parse URL. Without it, inbound email is refused (503).
   */
  sendgridInboundSecret?: string | undefined;
  /** Secret of unsubscribe tokens (the same one the engine signs links with). */
  signingSecret: string;
  /** Base URL Twilio calls; defaults to config.company.publicUrl. */
  publicUrl?: string | undefined;
  /** Clock in epoch milliseconds: replay window and token expiry. */
  now?: (() => number) | undefined;
  /** How old a signed SendGrid timestamp may be before the request counts as a replay. */
  sendgridMaxAgeMs?: number | undefined;
}

export interface WebhookRouteDeps {
  db: Db;
  config: RelanceConfig;
  webhooks?: WebhookDeps | undefined;
  /** Called after a reply stored an event for a sequence, so the dispatcher delivers it soon. */
  onCommitted?: (() => void) | undefined;
}

/** Ten minutes: SendGrid posts within seconds; a captured request replayed later is refused. */
export const DEFAULT_SENDGRID_MAX_AGE_MS = 10 * 60 * 1000;

export interface ResolvedWebhooks {
  db: Db;
  config: RelanceConfig;
  settings: WebhookDeps | undefined;
  now: () => number;
  publicUrl: string;
  onCommitted: (() => void) | undefined;
}

export function resolveWebhooks(deps: WebhookRouteDeps): ResolvedWebhooks {
  return {
    db: deps.db,
    config: deps.config,
    settings: deps.webhooks,
    now: deps.webhooks?.now ?? Date.now,
    publicUrl: (deps.webhooks?.publicUrl ?? deps.config.company.publicUrl).replace(/\/$/, ''),
    onCommitted: deps.onCommitted,
  };
}

/**
 * 401 (no credentials) and 403 (credentials that do not verify) in the API's error shape. The
 * catalogue maps UNAUTHORIZED to 401 only, so the status is set here.
 */
export function deny(reply: FastifyReply, status: 401 | 403, message: string): FastifyReply {
  return reply.status(status).send({ error: ErrorCode.Unauthorized, message });
}

/** 503: the route has no secret to check its callers with, so it accepts no one. */
export function notConfigured(reply: FastifyReply, message: string): FastifyReply {
  return reply.status(503).send({ error: ErrorCode.NotConfigured, message });
}
