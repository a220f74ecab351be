/**
 * The real API on port 0 over a fresh database, with helpers to post events and read cards,
 * vouchers and lots of points as a client does (fetch, admin token).
 */
import type { FastifyInstance } from 'fastify';
import { buildTestApi, authHeaders } from './api-auth';
import { createTestDb, type Driver, type TestDb } from './db';

export interface ErrorBody {
  error: string;
  issues: { path: string; message: string }[];
}

export interface ItemApi {
  testDb: TestDb;
  post(body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  get(path: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startItemApi(driver: Driver): Promise<ItemApi> {
  const testDb = await createTestDb(driver);
  const app: FastifyInstance = await buildTestApi(testDb.db);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const send = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { ...authHeaders, 'content-type': 'application/json' },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return {
    testDb,
    post: (body) => send('/v1/events', { method: 'POST', body: JSON.stringify(body) }),
    get: (path) => send(path),
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
}

/** The paths of a 400's issues, in order. */
export const issuePaths = (body: Record<string, unknown>) =>
  (body as unknown as ErrorBody).issues.map((i) => i.path);
