/** Builds the HTTP API (fastify): routes, the error shape, the OpenAPI description. */
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { Logger } from 'pino';
import { ANY_ROLE } from '../domain/roles';
import { installAuth, routeTable } from './auth';
import { installErrorHandler, sendFrameworkError } from './errors';
import { installInputGuard } from './input-guard';
import { registerItemRoutes } from './item-routes';
import { registerKpiRoutes } from './kpi-routes';
import { openApiDocument } from './openapi';
import { annotateAccess } from './openapi-access';
import type { HandoffActionExecutor } from './handoff-actions';
import { registerHandoffRoutes } from './handoff-routes';
import { registerCampaignRoutes } from './campaign-routes';
import { registerConsoleRoutes } from './console-route';
import { registerScheduleRoutes } from './schedule-routes';
import { registerTemplateRoutes } from './template-routes';
import { registerTimelineRoute } from './timeline-route';
import { registerRoutes, type RouteDeps } from './routes';
import { registerSegmentRoutes } from './segment-routes';
import { registerTokenRoutes } from './token-routes';
import type { WebhookDeps } from './webhooks/deps';
import { registerWebhookRoutes } from './webhooks/index';

export interface ApiDeps extends RouteDeps {
  logger?: Logger | false;
  /** Provider webhooks and unsubscribe links; without it those routes refuse every request. */
  webhooks?: WebhookDeps;
  /** How long a client has to send a whole request (headers and body); 0 for no limit. */
  requestTimeoutMs?: number;
  /** RELANCE_ADMIN_TOKEN: an admin token outside the store (other tokens live in api_tokens). */
  adminToken?: string;
  /** Executes agents' actions on hand-off tasks (temporalHandoffActions); without it they answer 503. */
  handoffActions?: HandoffActionExecutor;
}

/** The largest request body the API reads. */
export const BODY_LIMIT = 5 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const timeout = deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    loggerInstance: deps.logger || undefined,
    bodyLimit: BODY_LIMIT,
    // A client that trickles its request (slowloris) is answered 408 and cut off once `timeout`
    // has passed; Node checks open requests every `connectionsCheckingInterval`. No socket idle
    // timeout (connectionTimeout): it would also cut a response that takes long to compute.
    requestTimeout: timeout,
    http: timeout
      ? { headersTimeout: timeout, connectionsCheckingInterval: Math.min(30_000, Math.max(50, timeout / 4)) }
      : {},
    // Ids may be as long as the schemas allow; the input guard answers a longer one with a 400.
    routerOptions: { maxParamLength: 2048 },
    frameworkErrors: sendFrameworkError,
  }) as unknown as FastifyInstance;
  installErrorHandler(app);
  // Before the input guard: a caller without a token learns nothing, not even that a URL is bad.
  installAuth(app, { db: deps.db, ...(deps.adminToken ? { adminToken: deps.adminToken } : {}) });
  installInputGuard(app);
  await app.register(formbody);
  const document = openApiDocument();
  app.get('/v1/openapi.json', { config: { access: ANY_ROLE } }, () => document);
  registerRoutes(app, deps);
  registerItemRoutes(app, deps.db);
  registerTokenRoutes(app, deps.db);
  registerHandoffRoutes(app, {
    db: deps.db,
    now: deps.now ?? (() => new Date().toISOString()),
    handoffActions: deps.handoffActions,
  });
  registerSegmentRoutes(app, deps.db);
  registerCampaignRoutes(app, deps);
  if (deps.templates) registerTemplateRoutes(app, deps.templates);
  registerScheduleRoutes(app, deps);
  registerKpiRoutes(app, deps.db);
  registerTimelineRoute(app, deps.db);
  registerWebhookRoutes(app, deps);
  registerConsoleRoutes(app);
  await app.ready(); // routes in plugin scopes are in the table only once the plugins have loaded
  annotateAccess(document.paths, routeTable(app));
  return app;
}
