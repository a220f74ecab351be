/**
 * The routes providers and recipients call back: SendGrid events and inbound email, Twilio status
 * callbacks and inbound SMS, and the one-click unsubscribe link. Each verifies its caller before touching the
 * store; without `webhooks` deps they refuse everything rather than trust anyone.
 */
import type { FastifyInstance } from 'fastify';
import { registerUnsubscribeRoute } from '../unsubscribe-route';
import { resolveWebhooks, type WebhookRouteDeps } from './deps';
import { registerSendgridEvents } from './sendgrid-events';
import { registerSendgridInbound } from './sendgrid-inbound';
import { registerTwilioInbound } from './twilio-inbound';
import { registerTwilioStatus } from './twilio-status';

export function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): void {
  const resolved = resolveWebhooks(deps);
  registerSendgridEvents(app, resolved);
  registerSendgridInbound(app, resolved);
  registerTwilioStatus(app, resolved);
  registerTwilioInbound(app, resolved);
  registerUnsubscribeRoute(app, {
    db: deps.db,
    companyName: deps.config.company.name,
    signingSecret: deps.webhooks?.signingSecret,
    now: resolved.now,
  });
}
