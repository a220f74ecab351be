/**
 * The console's files over the real API: public (the page holds no data), only console/ and the
 * three vendored libraries, and GET /v1/me telling the console who signed in.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../store/token-repository';
import { buildTestApi } from '../helpers/api-auth';
import { createTestDb, type TestDb } from '../helpers/db';

let testDb: TestDb;
let app: FastifyInstance;

beforeAll(async () => {
  testDb = await createTestDb('pglite');
  app = await buildTestApi(testDb.db);
});
afterAll(async () => {
  await app.close();
  await testDb.drop();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });

describe('GET /console', () => {
  it('when anyone opens the console, then the page comes without a token, in HTML with its import map', async () => {
    const res = await get('/console');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('"preact": "/console/vendor/preact.module.js"');
    expect(res.body).toContain('<html lang="en">');
  });

  it('when the console asks for its modules and libraries, then they come as JavaScript', async () => {
    for (const url of [
      '/console/app.js',
      '/console/vendor/preact.module.js',
      '/console/vendor/hooks.module.js',
      '/console/vendor/htm.module.js',
      '/console/vendor/chart.umd.min.js',
    ]) {
      const res = await get(url);
      expect({ url, status: res.statusCode, type: res.headers['content-type'] }).toEqual({
        url,
        status: 200,
        type: 'text/javascript; charset=utf-8',
      });
    }
  });

  it('when a path reaches outside console/ or names no vendored library, then 404', async () => {
    for (const url of [
      '/console/..%2Fpackage.json',
      '/console/vendor/react.js',
      '/console/missing.js',
      '/console/.env',
      '/console/vendor/..%2F..%2Fpackage.json',
    ])
      expect({ url, status: (await get(url)).statusCode }).toEqual({ url, status: 404 });
  });
});

describe('GET /v1/me', () => {
  it('when a token asks who it is, then its name and role; without one, 401', async () => {
    const agent = await createToken(testDb.db, { name: 'Claire Martin', role: 'agent' });
    const res = await get('/v1/me', { authorization: `Bearer ${agent.token}` });
    expect(res.json()).toEqual({ name: 'Claire Martin', role: 'agent' });
    expect((await get('/v1/me')).statusCode).toBe(401);
  });
});
