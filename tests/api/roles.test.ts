/**
 * What each role may do (contract section 7): finance owns invoices, marketing contacts and
 * campaigns, agents read what they work on, admin everything; and admins manage tokens.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/server';
import { loadConfig } from '../../config/load-config';
import type { Role } from '../../domain/roles';
import { createToken, hashToken } from '../../store/token-repository';
import { authHeaders, TEST_ADMIN_TOKEN } from '../helpers/api-auth';
import { createTestDb, drivers, type TestDb } from '../helpers/db';
import { marie } from '../helpers/engine';

const invoice = { id: 'INV-1', contactId: 'c1', amount: '1250.00', currency: 'EUR', dueDate: '2026-03-18' };

describe.each(drivers)('roles (%s)', (driver) => {
  let testDb: TestDb;
  let app: FastifyInstance;
  const tokens = {} as Record<Role, string>;

  beforeEach(async () => {
    testDb = await createTestDb(driver);
    app = await buildApi({ adminToken: TEST_ADMIN_TOKEN, db: testDb.db, config: loadConfig() });
    for (const role of ['admin', 'finance', 'marketing', 'agent'] as const)
      tokens[role] = (await createToken(testDb.db, { name: `The ${role}`, role })).token;
  });
  afterEach(async () => {
    await app.close();
    await testDb.drop();
  });

  const as = (role: Role | 'env-admin') => ({
    authorization: `Bearer ${role === 'env-admin' ? TEST_ADMIN_TOKEN : tokens[role]}`,
  });
  const post = (role: Role | 'env-admin', url: string, body: unknown) =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...as(role), 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const get = (role: Role | 'env-admin', url: string) => app.inject({ url, headers: as(role) });
  const batch = [
    { type: 'contact.upserted', data: marie },
    { type: 'invoice.issued', data: invoice },
  ];

  it('when marketing posts a batch holding an invoice, then 403 names [1].type and nothing of the batch is applied', async () => {
    const res = await post('marketing', '/v1/events', batch);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      error: 'FORBIDDEN',
      issues: [{ path: '[1].type', message: '"invoice.issued" needs the role admin or finance' }],
    });
    expect(res.json<{ message: string }>().message).toContain('has the role marketing');
    expect((await get('env-admin', '/v1/contacts/c1/consents')).statusCode).toBe(404);
  });

  it('when finance posts the same batch, then it is accepted and an agent can read the invoice', async () => {
    expect((await post('finance', '/v1/events', batch)).statusCode).toBe(202);
    const read = await get('agent', '/v1/invoices/INV-1');
    expect(read.statusCode).toBe(200);
    expect(read.json<{ invoice: { id: string } }>().invoice.id).toBe('INV-1');
    expect((await get('marketing', '/v1/contacts/c1/consents')).statusCode).toBe(200);
  });

  it('when a role reads outside its remit, then 403 names the roles allowed', async () => {
    await post('finance', '/v1/events', batch);
    const marketing = await get('marketing', '/v1/invoices/INV-1');
    expect(marketing.statusCode).toBe(403);
    expect(marketing.json<{ message: string }>().message).toBe(
      'This needs the role admin, finance or agent; the token "The marketing" has the role marketing',
    );
    expect((await get('finance', '/v1/contacts/c1/export')).statusCode).toBe(403);
    expect((await get('admin', '/v1/contacts/c1/export')).statusCode).toBe(200);
    expect((await get('agent', '/v1/outbox')).statusCode).toBe(403);
  });

  it('when a non-admin posts an erasure or an agent posts any event, then 403; admin may post anything', async () => {
    await post('finance', '/v1/events', batch);
    const erase = { type: 'contact.erased', data: { contactId: 'c1' } };
    expect((await post('finance', '/v1/events', erase)).json()).toMatchObject({
      error: 'FORBIDDEN',
      issues: [{ path: 'type' }],
    });
    expect((await post('marketing', '/v1/events', erase)).statusCode).toBe(403);
    expect((await post('agent', '/v1/events', { type: 'contact.upserted', data: marie })).statusCode).toBe(
      403,
    );
    expect((await post('admin', '/v1/events', erase)).statusCode).toBe(202);
  });

  it('when an unknown event type is posted by a role, then validation answers 400, not 403', async () => {
    const res = await post('marketing', '/v1/events', { type: 'invoice.nope', data: {} });
    expect(res.statusCode).toBe(400);
  });

  it('when an admin creates a token, then it is answered once, listed without secret, works, and is refused once revoked', async () => {
    const created = await post('env-admin', '/v1/tokens', { name: 'Claire Martin', role: 'agent' });
    expect(created.statusCode).toBe(201);
    const body = created.json<{ id: string; token: string; role: string; name: string }>();
    expect(body).toMatchObject({ name: 'Claire Martin', role: 'agent', revokedAt: null });
    expect(body.token).toMatch(/^rl_[A-Za-z0-9_-]{43}$/);
    const stored = await testDb.db.query<{ token_hash: string }>(
      'select token_hash from api_tokens where id = $1',
      [body.id],
    );
    expect(stored).toEqual([{ token_hash: hashToken(body.token) }]);

    const list = await get('admin', '/v1/tokens');
    expect(list.body).not.toContain(body.token);
    expect(list.body).not.toContain(hashToken(body.token));
    expect(list.json<{ tokens: { id: string }[] }>().tokens.map((t) => t.id)).toContain(body.id);

    const claire = { authorization: `Bearer ${body.token}` };
    expect((await app.inject({ url: '/v1/invoices/INV-0', headers: claire })).statusCode).toBe(404); // allowed, absent
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/v1/tokens/${body.id}`,
      headers: authHeaders,
    });
    const gone = revoked.json<{ id: string; revokedAt: string | null }>();
    expect(gone.id).toBe(body.id);
    expect(gone.revokedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const after = await app.inject({ url: '/v1/invoices/INV-0', headers: claire });
    expect(after.statusCode).toBe(401);
    expect(after.json<{ message: string }>().message).toContain('revoked');
    expect(
      (await app.inject({ method: 'DELETE', url: '/v1/tokens/tok_nope', headers: authHeaders })).statusCode,
    ).toBe(404);
  });

  it('when a token request has a bad role or no name, or comes from a non-admin, then it is refused and nothing is created', async () => {
    const bad = await post('admin', '/v1/tokens', { name: '  ', role: 'boss' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ issues: { path: string }[] }>()
        .issues.map((i) => i.path)
        .sort(),
    ).toEqual(['name', 'role']);
    expect((await post('finance', '/v1/tokens', { name: 'Me', role: 'admin' })).statusCode).toBe(403);
    const count = await testDb.db.query<{ n: number }>('select count(*)::int as n from api_tokens');
    expect(count).toEqual([{ n: 4 }]);
  });
});
