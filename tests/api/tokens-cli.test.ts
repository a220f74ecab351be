/**
 * `relance tokens`: on the embedded store when no stack runs, through the running API when
 * `npm start` holds the store; the token printed once, only its hash kept.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/server';
import { tokensCommand } from '../../cli/tokens-command';
import { loadConfig } from '../../config/load-config';
import { openDb } from '../../store/db';
import { findToken, hashToken } from '../../store/token-repository';
import { TEST_ADMIN_TOKEN } from '../helpers/api-auth';
import { createTestDb, type TestDb } from '../helpers/db';

async function run(args: string[], env: NodeJS.ProcessEnv) {
  let out = '';
  let err = '';
  const code = await tokensCommand(args, { out: (t) => (out += t), err: (t) => (err += t), env });
  return { code, out, err };
}

describe('relance tokens', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'relance-tokens-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when no stack runs, then create prints the token alone on stdout, list shows it without secret, and revoke marks it', async () => {
    const env = { RELANCE_DATA_DIR: dataDir };
    const created = await run(['create', '--role', 'agent', '--name', 'Claire Martin'], env);
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^rl_[A-Za-z0-9_-]{43}$/);
    expect(created.err).toContain('shown this once');

    const listed = await run(['list'], env);
    expect(listed.out).toContain('Claire Martin');
    expect(listed.out).not.toContain(token);
    const id = /tok_[0-9a-f]+/.exec(listed.out)?.[0] ?? '';

    const revoked = await run(['revoke', id], env);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain(`Revoked ${id}`);
    expect((await run(['revoke', 'tok_nope'], env)).code).toBe(1);

    const db = await openDb(`pglite://${join(dataDir, 'pglite')}`);
    const rows = await db.query<{ token_hash: string }>('select token_hash from api_tokens');
    expect(rows).toEqual([{ token_hash: hashToken(token) }]);
    expect((await findToken(db, token))?.revokedAt).not.toBeNull();
    await db.close();
  });

  it('when the role or the name is bad, then exit 2 with a message naming the option, and nothing is opened', async () => {
    const badRole = await run(['create', '--role', 'boss', '--name', 'X'], { RELANCE_DATA_DIR: dataDir });
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('--role: a role: one of admin, finance, marketing, agent');
    const noName = await run(['create', '--role', 'agent'], { RELANCE_DATA_DIR: dataDir });
    expect(noName.code).toBe(2);
    expect(noName.err).toContain('--name');
    expect((await run(['frobnicate'], { RELANCE_DATA_DIR: dataDir })).code).toBe(2);
  });

  describe('when a stack holds the embedded store', () => {
    let testDb: TestDb;
    let app: FastifyInstance;
    let port: number;
    beforeEach(async () => {
      testDb = await createTestDb();
      app = await buildApi({ adminToken: TEST_ADMIN_TOKEN, db: testDb.db, config: loadConfig() });
      port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);
      writeFileSync(join(dataDir, 'relance.pid'), String(process.pid)); // a live process holds it
      writeFileSync(join(dataDir, 'admin-token'), TEST_ADMIN_TOKEN); // as npm start wrote it
    });
    afterEach(async () => {
      await app.close();
      await testDb.drop();
    });

    it('then the command goes through its API with the admin token of the data folder', async () => {
      const env = { RELANCE_DATA_DIR: dataDir, PORT: String(port) };
      const created = await run(['create', '--role', 'finance', '--name', 'Billing export'], env);
      expect(created.code).toBe(0);
      expect(created.err).toContain(`the API at http://127.0.0.1:${port}`);
      const stored = await findToken(testDb.db, created.out.trim());
      expect(stored).toMatchObject({ name: 'Billing export', role: 'finance', revokedAt: null });
      const listed = await run(['list', '--json'], env);
      expect(JSON.parse(listed.out)).toMatchObject({ tokens: [{ id: stored?.id, role: 'finance' }] });
      expect((await run(['revoke', stored?.id ?? ''], env)).code).toBe(0);
      expect((await findToken(testDb.db, created.out.trim()))?.revokedAt).not.toBeNull();
    });

    it('then a wrong admin token is a clear 401, and without any the command says how to get one', async () => {
      const env = {
        RELANCE_DATA_DIR: dataDir,
        PORT: String(port),
        RELANCE_ADMIN_TOKEN: 'rl_wrong-token-0123456789',
      };
      const refused = await run(['create', '--role', 'agent', '--name', 'Eve'], env);
      expect(refused.code).toBe(2);
      expect(refused.err).toContain('401');
      rmSync(join(dataDir, 'admin-token'));
      const none = await run(['list'], { RELANCE_DATA_DIR: dataDir, PORT: String(port) });
      expect(none.code).toBe(2);
      expect(none.err).toContain('RELANCE_ADMIN_TOKEN');
    });
  });
});
