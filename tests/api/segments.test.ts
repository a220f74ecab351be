/**
 * Segment preview over HTTP, and what `contact.upserted` leaves on a contact for segments to read:
 * given tags replace the stored ones, absent tags keep them; attributes merge key by key, a key
 * given `null` is cleared.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/server';
import { loadConfig } from '../../config/load-config';
import { createToken } from '../../store/token-repository';
import { authHeaders, TEST_ADMIN_TOKEN } from '../helpers/api-auth';
import { createTestDb, drivers, type TestDb } from '../helpers/db';

const contact = (id: string, extra: Record<string, unknown>) => ({
  type: 'contact.upserted',
  data: { id, locale: 'fr-FR', timezone: 'Europe/Paris', ...extra },
});
const goldFrOpted = {
  all: [{ attribute: 'tier', in: ['gold', 'platinum'] }, { field: 'country', eq: 'FR' }, { tag: 'opted' }],
};

describe.each(drivers)('segment preview (%s)', (driver) => {
  let testDb: TestDb;
  let app: FastifyInstance;
  beforeEach(async () => {
    testDb = await createTestDb(driver);
    app = await buildApi({ adminToken: TEST_ADMIN_TOKEN, db: testDb.db, config: loadConfig() });
  });
  afterEach(async () => {
    await app.close();
    await testDb.drop();
  });

  const send = (url: string, body: unknown, headers: Record<string, string> = authHeaders) =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const events = async (batch: unknown[]) => expect((await send('/v1/events', batch)).statusCode).toBe(202);
  const preview = async (segment: unknown) => {
    const res = await send('/v1/segments/preview', { segment });
    expect(res.statusCode).toBe(200);
    return res.json<{ count: number; sample: string[] }>();
  };

  it('when marketing previews gold-or-platinum French opted contacts, then it gets their count and ids, erased ones left out', async () => {
    await events([
      contact('c1', { country: 'FR', tags: ['opted'], attributes: { tier: 'gold', points: 120 } }),
      contact('c2', { country: 'FR', tags: ['opted', 'vip'], attributes: { tier: 'platinum' } }),
      contact('c3', { country: 'BE', tags: ['opted'], attributes: { tier: 'gold' } }),
      contact('c4', { country: 'FR', attributes: { tier: 'gold' } }),
      contact('c5', { country: 'FR', tags: ['opted'], attributes: { tier: 'silver' } }),
      contact('c6', { country: 'FR', tags: ['opted'], attributes: { tier: 'gold' } }),
      { type: 'contact.erased', data: { contactId: 'c6' } },
    ]);
    const { token } = await createToken(testDb.db, { name: 'CRM team', role: 'marketing' });
    const res = await send(
      '/v1/segments/preview',
      { segment: goldFrOpted },
      { authorization: `Bearer ${token}` },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ count: 2, sample: ['c1', 'c2'] });
    expect(await preview({ all: [{ attribute: 'points', gte: 100 }] })).toEqual({ count: 1, sample: ['c1'] });
  });

  it('when more than 20 contacts match, then the count is all of them and the sample the first 20 ids', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `c${String(i).padStart(2, '0')}`);
    await events(ids.map((id) => contact(id, { tags: ['opted'] })));
    expect(await preview({ all: [{ tag: 'opted' }] })).toEqual({ count: 25, sample: ids.slice(0, 20) });
  });

  it('when finance asks for a preview, then 403', async () => {
    const { token } = await createToken(testDb.db, { name: 'Billing', role: 'finance' });
    const res = await send(
      '/v1/segments/preview',
      { segment: goldFrOpted },
      { authorization: `Bearer ${token}` },
    );
    expect(res.statusCode).toBe(403);
  });

  it('when a segment has an unknown operator, field kind or field, then a 400 names each path', async () => {
    const res = await send('/v1/segments/preview', {
      segment: {
        all: [
          { attribute: 'tier', regex: 'gold' },
          { column: 'email', eq: 'x' },
          { field: 'email', eq: 'x' },
          { attribute: 'tier', in: [] },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json<{ issues: { path: string }[] }>().issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'segment.all[0].regex',
        'segment.all[1].column',
        'segment.all[2].field',
        'segment.all[3].in',
      ]),
    );
    expect((await send('/v1/segments/preview', {})).json()).toMatchObject({
      issues: [{ path: 'segment', message: 'a segment: { "all": [condition, …] }' }],
    });
  });

  it('when an update leaves tags out, then the stored tags stay; when it gives them, then they replace the old ones', async () => {
    await events([contact('c1', { tags: ['opted', 'vip'] })]);
    await events([contact('c1', { firstName: 'Marie' })]);
    expect((await preview({ all: [{ tag: 'vip' }] })).count).toBe(1);
    await events([contact('c1', { tags: ['opted'] })]);
    expect((await preview({ all: [{ tag: 'vip' }] })).count).toBe(0);
    expect((await preview({ all: [{ tag: 'opted' }] })).count).toBe(1);
  });

  it('when an update gives some attributes, then they replace those keys, others stay, and null clears one', async () => {
    await events([contact('c1', { attributes: { tier: 'gold', points: 10 } })]);
    await events([contact('c1', { attributes: { tier: 'platinum' } })]);
    expect(
      (
        await preview({
          all: [
            { attribute: 'tier', eq: 'platinum' },
            { attribute: 'points', eq: 10 },
          ],
        })
      ).count,
    ).toBe(1);
    await events([contact('c1', { attributes: { points: null } })]);
    expect((await preview({ all: [{ attribute: 'points', exists: false }] })).count).toBe(1);
    expect((await preview({ all: [{ attribute: 'tier', exists: true }] })).count).toBe(1);
  });
});
