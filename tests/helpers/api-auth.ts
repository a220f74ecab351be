import type { FastifyInstance } from 'fastify';
import { buildApi, type ApiDeps } from '../../api/server';
import { loadConfig } from '../../config/load-config';
import { createTemplates } from '../../runtime/engine';
import type { Db } from '../../store/db';

/** The admin token API tests build the server with, and the header that sends it. */
export const TEST_ADMIN_TOKEN = 'rl_test-admin-token-not-a-secret-0123456789';
export const authHeaders = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } as const;

/**
 * The real API over a test database with the default configuration and templates, built with the
 * test admin token; `extra` adds or overrides dependencies (webhooks, timeouts).
 */
export async function buildTestApi(db: Db, extra: Partial<ApiDeps> = {}): Promise<FastifyInstance> {
  const config = extra.config ?? loadConfig();
  return buildApi({ adminToken: TEST_ADMIN_TOKEN, db, config, templates: createTemplates(config), ...extra });
}
