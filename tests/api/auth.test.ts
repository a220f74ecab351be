/**
 * Every /v1 route asks who is calling (contract section 7): the test walks the route table the
 * server itself built, so a route added later without roles is caught here, not in production.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routeTable } from '../../api/auth';
import { createToken, revokeToken } from '../../store/token-repository';
import { authHeaders, buildTestApi, TEST_ADMIN_TOKEN } from '../helpers/api-auth';
import { createTestDb, drivers, type TestDb } from '../helpers/db';

const PUBLIC = [
  '/v1/unsubscribe',
  '/v1/webhooks/sendgrid',
  '/v1/webhooks/sendgrid/inbound',
  '/v1/webhooks/twilio/inbound',
  '/v1/webhooks/twilio/status',
];

describe.each(drivers)('access to the API (%s)', (driver) => {
  let testDb: TestDb;
  let app: FastifyInstance;

  beforeEach(async () => {
    testDb = await createTestDb(driver);
    app = await buildTestApi(testDb.db, {
      webhooks: { twilioAuthToken: 'twilio-token', signingSecret: 'x'.repeat(32) },
    });
  });
  afterEach(async () => {
    await app.close();
    await testDb.drop();
  });

  const v1Routes = () => routeTable(app).filter((r) => r.url.startsWith('/v1/'));
  const call = (method: string, url: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as 'GET',
      url: url.replace(/:[A-Za-z0-9_]+/g, 'x'),
      headers: { 'content-type': 'application/json', ...headers },
      ...(method === 'GET' || method === 'HEAD' ? {} : { payload: '{}' }),
    });

  it('when a caller has no token, then every /v1 route but the webhooks and unsubscribe answers 401 with WWW-Authenticate', async () => {
    const guarded = v1Routes().filter((r) => r.access !== 'public');
    expect(guarded.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        'POST /v1/events',
        'GET /v1/invoices/:id',
        'GET /v1/outbox',
        'GET /v1/openapi.json',
      ]),
    );
    for (const route of guarded) {
      const res = await call(route.method, route.url);
      expect({ route: `${route.method} ${route.url}`, status: res.statusCode }).toEqual({
        route: `${route.method} ${route.url}`,
        status: 401,
      });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      if (route.method !== 'HEAD') expect(res.json()).toMatchObject({ error: 'UNAUTHENTICATED' });
    }
  });

  it('when the route table is read, then only the provider webhooks and unsubscribe are public, and they answer without a token', async () => {
    const open = v1Routes().filter((r) => r.access === 'public');
    expect([...new Set(open.map((r) => r.url))].sort()).toEqual(PUBLIC);
    for (const route of open) {
      // They may refuse a bad signature or link (their own 401/400), never for want of an API token.
      const res = await call(route.method, route.url);
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.body).not.toContain('UNAUTHENTICATED');
    }
  });

  it('when a token was revoked, then every guarded /v1 route answers 401', async () => {
    const created = await createToken(testDb.db, { name: 'Ex-employee', role: 'admin' });
    expect((await call('GET', '/v1/outbox', { authorization: `Bearer ${created.token}` })).statusCode).toBe(
      200,
    );
    await revokeToken(testDb.db, created.id);
    for (const route of v1Routes().filter((r) => r.access !== 'public')) {
      const res = await call(route.method, route.url, { authorization: `Bearer ${created.token}` });
      expect({ route: `${route.method} ${route.url}`, status: res.statusCode }).toEqual({
        route: `${route.method} ${route.url}`,
        status: 401,
      });
    }
  });

  it('when a token is unknown or malformed, then 401; when the admin token is sent, then the route answers', async () => {
    expect((await call('GET', '/v1/outbox', { authorization: 'Bearer rl_nobody' })).statusCode).toBe(401);
    expect((await call('GET', '/v1/outbox', { authorization: `Basic ${TEST_ADMIN_TOKEN}` })).statusCode).toBe(
      401,
    );
    expect((await call('GET', '/v1/outbox', authHeaders)).statusCode).toBe(200);
    expect(
      (await call('GET', '/v1/outbox', { authorization: `bearer ${TEST_ADMIN_TOKEN}` })).statusCode,
    ).toBe(200);
  });

  it('when a /v1 URL matches no route, then an anonymous caller gets 401 and a known one 404', async () => {
    expect((await call('GET', '/v1/nothing-here')).statusCode).toBe(401);
    const agent = await createToken(testDb.db, { name: 'Claire Martin', role: 'agent' });
    expect(
      (await call('GET', '/v1/nothing-here', { authorization: `Bearer ${agent.token}` })).statusCode,
    ).toBe(404);
    expect((await call('GET', '/health')).statusCode).toBe(200);
  });

  it('when the OpenAPI description is read, then each operation states its roles and public ones need no token', async () => {
    const agent = await createToken(testDb.db, { name: 'Claire Martin', role: 'agent' });
    const doc = (await call('GET', '/v1/openapi.json', { authorization: `Bearer ${agent.token}` })).json<{
      security: unknown[];
      components: { securitySchemes: Record<string, { scheme: string }> };
      paths: Record<
        string,
        Record<string, { description?: string; security?: unknown[]; 'x-relance-roles'?: string[] }>
      >;
    }>();
    expect(doc.components.securitySchemes.bearerAuth?.scheme).toBe('bearer');
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    const invoice = doc.paths['/v1/invoices/{id}']?.get;
    expect(invoice?.['x-relance-roles']).toEqual(['admin', 'finance', 'agent']);
    expect(invoice?.description).toContain('Roles: admin, finance, agent');
    expect(doc.paths['/v1/contacts/{id}/export']?.get?.['x-relance-roles']).toEqual(['admin']);
    expect(doc.paths['/v1/tokens']?.post?.['x-relance-roles']).toEqual(['admin']);
    expect(doc.paths['/v1/webhooks/sendgrid']?.post?.security).toEqual([]);
    expect(doc.paths['/v1/unsubscribe']?.get?.description).toContain('Public');
    for (const route of v1Routes().filter((r) => r.access !== 'public' && r.method !== 'HEAD')) {
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      expect({ path, roles: operation?.['x-relance-roles'] }).toEqual({ path, roles: route.access });
    }
  });
});
