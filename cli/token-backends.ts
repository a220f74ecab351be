/**
 * Where `relance tokens` keeps tokens: the store itself (DATABASE_URL, or the embedded PGlite
 * when no stack holds it), or the running API when `npm start` holds the embedded store (PGlite
 * is single-process) or RELANCE_API_URL names one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, RelanceError } from '../domain/errors';
import type { Role } from '../domain/roles';
import { existingAdminToken } from '../runtime/admin-token';
import { lockDataDir } from '../runtime/local-services';
import type { Settings } from '../runtime/settings';
import { openDb, type Db } from '../store/db';
import { migrate } from '../store/migrate';
import { createToken, listTokens, revokeToken, type ApiToken } from '../store/token-repository';

export interface TokenBackend {
  /** Said to the user: which store or API the command used. */
  where: string;
  create(input: { name: string; role: Role }): Promise<ApiToken & { token: string }>;
  list(): Promise<ApiToken[]>;
  revoke(id: string): Promise<ApiToken | undefined>;
  close(): Promise<void>;
}

function storeBackend(db: Db, where: string, release: () => void = () => undefined): TokenBackend {
  return {
    where,
    create: (input) => createToken(db, input),
    list: () => listTokens(db),
    revoke: (id) => revokeToken(db, id),
    close: async () => {
      await db.close();
      release();
    },
  };
}

async function call<T>(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T | undefined> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  }).catch((error: unknown) => {
    throw new RelanceError(
      ErrorCode.NotConfigured,
      `Cannot reach the Relance API at ${base}: ${String(error)}`,
    );
  });
  const answer = (await response.json().catch(() => ({}))) as {
    message?: string;
    issues?: { path: string; message: string }[];
  };
  if (response.status === 404 && method === 'DELETE') return undefined;
  if (!response.ok) {
    const issues = answer.issues?.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    throw new RelanceError(
      ErrorCode.InvalidInput,
      `${base} answered ${response.status}: ${answer.message ?? ''}${issues ? `\n${issues}` : ''}`,
    );
  }
  return answer as T;
}

function apiBackend(base: string, token: string): TokenBackend {
  return {
    where: `the API at ${base}`,
    create: async (input) =>
      (await call<ApiToken & { token: string }>(base, token, 'POST', '/v1/tokens', input))!,
    list: async () => (await call<{ tokens: ApiToken[] }>(base, token, 'GET', '/v1/tokens'))?.tokens ?? [],
    revoke: (id) => call<ApiToken>(base, token, 'DELETE', `/v1/tokens/${encodeURIComponent(id)}`),
    close: () => Promise.resolve(),
  };
}

/** A live `npm start` holds the embedded store: its pid is in the data folder's lock file. */
function stackRunning(dataDir: string): boolean {
  const lock = join(dataDir, 'relance.pid');
  if (!existsSync(lock)) return false;
  const pid = Number(readFileSync(lock, 'utf8'));
  try {
    return pid > 0 && process.kill(pid, 0);
  } catch {
    return false;
  }
}

function viaApi(settings: Settings, base: string): TokenBackend {
  const token = existingAdminToken(settings);
  if (!token)
    throw new RelanceError(
      ErrorCode.NotConfigured,
      `No admin token to call ${base} with: set RELANCE_ADMIN_TOKEN, or run this where ${join(settings.RELANCE_DATA_DIR, 'admin-token')} is`,
    );
  return apiBackend(base.replace(/\/$/, ''), token);
}

export async function tokenBackend(settings: Settings): Promise<TokenBackend> {
  if (settings.RELANCE_API_URL) return viaApi(settings, settings.RELANCE_API_URL);
  if (settings.DATABASE_URL) {
    const db = await openDb(settings.DATABASE_URL);
    await migrate(db);
    return storeBackend(db, 'the PostgreSQL store (DATABASE_URL)');
  }
  const dataDir = settings.RELANCE_DATA_DIR;
  if (stackRunning(dataDir)) return viaApi(settings, `http://127.0.0.1:${settings.PORT}`);
  const release = lockDataDir(dataDir); // no `npm start` may open the store while we write it
  try {
    const db = await openDb(`pglite://${join(dataDir, 'pglite')}`);
    await migrate(db);
    return storeBackend(db, `the embedded store in ${join(dataDir, 'pglite')}`, release);
  } catch (error) {
    release();
    throw error;
  }
}
