/**
 * The settings and secrets around API access: where the API listens, the admin token a
 * newcomer gets, and logs that never carry a token.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminToken, existingAdminToken } from '../../runtime/admin-token';
import { REDACTED_PATHS } from '../../runtime/logger';
import { loadSettings } from '../../runtime/settings';

describe('access settings', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'relance-access-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when HOST is unset, then the API listens on 127.0.0.1 only; HOST=0.0.0.0 opens it', () => {
    expect(loadSettings({}).HOST).toBe('127.0.0.1');
    expect(loadSettings({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  it('when RELANCE_ADMIN_TOKEN is short, then the start refuses it naming the variable', () => {
    expect(() => loadSettings({ RELANCE_ADMIN_TOKEN: 'admin' })).toThrow(/RELANCE_ADMIN_TOKEN: at least 20/);
  });

  it('when no admin token is set, then one is generated once into .data/admin-token, readable only by its owner', () => {
    expect(existingAdminToken({ RELANCE_DATA_DIR: dataDir })).toBeUndefined();
    const first = adminToken({ RELANCE_DATA_DIR: dataDir });
    expect(first.token).toMatch(/^rl_[A-Za-z0-9_-]{43}$/);
    expect(first.source).toBe(join(dataDir, 'admin-token'));
    expect(adminToken({ RELANCE_DATA_DIR: dataDir }).token).toBe(first.token);
    expect(readFileSync(join(dataDir, 'admin-token'), 'utf8')).toBe(first.token);
    expect(statSync(join(dataDir, 'admin-token')).mode & 0o077).toBe(0);
    expect(existingAdminToken({ RELANCE_DATA_DIR: dataDir })).toBe(first.token);
  });

  it('when RELANCE_ADMIN_TOKEN is set, then it wins and no file is written', () => {
    const env = { RELANCE_ADMIN_TOKEN: 'rl_from-the-environment-0123', RELANCE_DATA_DIR: dataDir };
    expect(adminToken(env)).toEqual({ token: env.RELANCE_ADMIN_TOKEN, source: 'RELANCE_ADMIN_TOKEN' });
    expect(existingAdminToken({ RELANCE_DATA_DIR: dataDir })).toBeUndefined();
  });

  it('when a request, a token answer or the settings are logged, then no token appears', () => {
    let logged = '';
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => ((logged += chunk.toString()), done()) });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    logger.info({ req: { headers: { authorization: 'Bearer rl_secret-1' } } }, 'request');
    logger.info({ created: { id: 'tok_1', token: 'rl_secret-2' } }, 'token created');
    logger.info({ RELANCE_ADMIN_TOKEN: 'rl_secret-3', token: 'rl_secret-4' }, 'settings');
    expect(logged).not.toMatch(/rl_secret/);
    expect(logged).toContain('tok_1');
  });
});
