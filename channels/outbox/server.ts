/**
 * The local outbox: one HTTP server that speaks SendGrid v3 mail/send and Twilio Messages with
 * their real request formats, checks, status codes and error bodies, and records what it accepts
 * in an OutboxStore. Relance's channels point their real SDKs at it, so the code path under test
 * is the production one up to the network edge. `/_outbox/*` adds fault scripts and inspection.
 */
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FaultQueue, faultScriptSchema } from './faults';
import type { OutboxRecord, OutboxStore } from './outbox-store';
import { sendgridError, twilioError, TWILIO_CODES } from './provider-errors';
import { registerSendgridRoutes } from './sendgrid-api';
import { registerTwilioRoutes } from './twilio-api';

export interface OutboxServerOptions {
  store: OutboxStore;
  sendgridApiKey: string;
  twilio: { accountSid: string; authToken: string };
  /** The simulator passes its time-skipping clock so receivedAt follows simulated time. */
  clock?: () => Date;
  logger?: false | FastifyBaseLogger;
}

export interface OutboxServer {
  app: FastifyInstance;
  /** Starts listening (port 0 picks a free port) and resolves to the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

const outboxCopiesSchema = z.object({
  idempotencyKeys: z.array(z.string().min(1)).max(100_000),
  ids: z.array(z.string().min(1)).max(100_000),
});

/** SendGrid accepts requests up to 30 MB; a 1000-recipient batch easily exceeds Fastify's 1 MB. */
const BODY_LIMIT = 30 * 1024 * 1024;

/** The contract's shape for `GET /v1/outbox` and `GET /_outbox/messages`. */
export function outboxListItem(m: OutboxRecord): Record<string, string> {
  return {
    id: m.id,
    channel: m.channel,
    to: m.to,
    ...(m.subject !== null ? { subject: m.subject } : {}),
    text: m.text,
    receivedAt: m.receivedAt,
  };
}

/** Body-parsing failures answered in the format of the provider the client was talking to. */
function providerErrorHandler(error: FastifyError, url: string): { status: number; body: unknown } {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (url.startsWith('/v3/')) {
    return { status, body: sendgridError(status === 413 ? 'Request entity too large' : error.message) };
  }
  if (url.startsWith('/2010-04-01/')) {
    return {
      status,
      body: twilioError(
        status,
        status >= 500 ? TWILIO_CODES.internal : TWILIO_CODES.badRequest,
        error.message,
      ),
    };
  }
  return { status, body: { error: error.message } };
}

function registerOutboxRoutes(app: FastifyInstance, store: OutboxStore, faults: FaultQueue): void {
  app.post('/_outbox/faults', async (request, reply) => {
    const parsed = faultScriptSchema.safeParse(request.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      return reply.code(400).send({ error: 'invalid fault script', issues });
    }
    faults.add(parsed.data);
    return reply.code(201).send({ pending: faults.size() });
  });
  app.get('/_outbox/faults', (_request, reply) => reply.send(faults.stats()));
  app.delete('/_outbox/faults', async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });
  app.get('/_outbox/messages', async (request) => {
    const query = request.query as { channel?: string; to?: string };
    const channel = query.channel === 'email' || query.channel === 'sms' ? query.channel : undefined;
    const messages = await store.list({
      ...(channel ? { channel } : {}),
      ...(query.to ? { to: query.to } : {}),
    });
    return { messages: messages.map(outboxListItem) };
  });
  // How many messages were accepted, without reading them (a benchmark polls this at 100,000).
  app.get('/_outbox/count', async (request) => {
    const query = request.query as { channel?: string };
    const channel = query.channel === 'email' || query.channel === 'sms' ? query.channel : undefined;
    return { count: await store.count(channel ? { channel } : {}) };
  });
  // A contact's erasure reaching an outbox that keeps its own store (outbox-thread.ts).
  app.post('/_outbox/erasures', async (request, reply) => {
    const parsed = outboxCopiesSchema.safeParse(request.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      return reply.code(400).send({ error: 'invalid erasure', issues });
    }
    return { erased: await store.erase(parsed.data) };
  });
  app.get('/_outbox/messages/by-key/:key', async (request, reply) => {
    const { key } = request.params as { key: string };
    const record = await store.findByIdempotencyKey(key);
    if (!record) return reply.code(404).send({ error: `no message recorded with idempotency key ${key}` });
    return record;
  });
}

export function createOutboxServer(opts: OutboxServerOptions): OutboxServer {
  const clock = opts.clock ?? (() => new Date());
  const faults = new FaultQueue();
  const app = opts.logger
    ? Fastify({ loggerInstance: opts.logger, bodyLimit: BODY_LIMIT })
    : Fastify({ logger: false, bodyLimit: BODY_LIMIT });
  void app.register(formbody);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = providerErrorHandler(error, request.url);
    if (status >= 500) request.log.error({ err: error }, 'outbox request failed');
    return reply.code(status).send(body);
  });
  registerSendgridRoutes(app, { store: opts.store, apiKey: opts.sendgridApiKey, faults, clock });
  registerTwilioRoutes(app, { store: opts.store, ...opts.twilio, faults, clock });
  registerOutboxRoutes(app, opts.store, faults);
  return {
    app,
    listen: (port = 0, host = '127.0.0.1') => app.listen({ port, host }),
    close: () => app.close(),
  };
}
