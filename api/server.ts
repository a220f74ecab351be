/** Builds the HTTP API (fastify): routes, the error shape, the OpenAPI description. */
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { Logger } from 'pino';
import { installErrorHandler } from './errors';
import { openApiDocument } from './openapi';
import { registerTemplateRoutes } from './template-routes';
import { registerRoutes, type RouteDeps } from './routes';
import type { WebhookDeps } from './webhooks/deps';
import { registerWebhookRoutes } from './webhooks/index';

export interface ApiDeps extends RouteDeps {
  logger?: Logger | false;
  /** Provider webhooks and unsubscribe links; without it those routes refuse every request. */
  webhooks?: WebhookDeps;
}

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger || undefined,
    bodyLimit: 5 * 1024 * 1024,
  }) as unknown as FastifyInstance;
  installErrorHandler(app);
  await app.register(formbody);
  const document = openApiDocument();
  app.get('/v1/openapi.json', () => document);
  registerRoutes(app, deps);
  if (deps.templates) registerTemplateRoutes(app, deps.templates);
  registerWebhookRoutes(app, deps);
  return app;
}
