/**
 * API tokens: each is random (`rl_` + 32 bytes, base64url), shown once when created; the store
 * keeps only its SHA-256, so a leaked database does not leak working tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../domain/roles';
import { iso, type Sql } from './db';

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export function generateToken(): string {
  return `rl_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

type Row = {
  id: string;
  name: string;
  role: Role;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
};
const COLUMNS = 'id, name, role, created_at, revoked_at, last_used_at';
const toToken = (r: Row): ApiToken => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: iso(r.created_at),
  revokedAt: r.revoked_at ? iso(r.revoked_at) : null,
  lastUsedAt: r.last_used_at ? iso(r.last_used_at) : null,
});

/** Creates a token; the returned `token` is the only time its secret exists outside the caller. */
export async function createToken(
  sql: Sql,
  input: { name: string; role: Role },
): Promise<ApiToken & { token: string }> {
  const token = generateToken();
  const id = `tok_${randomBytes(8).toString('hex')}`;
  const [row] = await sql.query<Row>(
    `insert into api_tokens (id, name, role, token_hash) values ($1, $2, $3, $4) returning ${COLUMNS}`,
    [id, input.name, input.role, hashToken(token)],
  );
  if (!row) throw new Error('insert into api_tokens returned no row');
  return { ...toToken(row), token };
}

/** The token whose secret is `token`, revoked or not; undefined when no token has that hash. */
export async function findToken(sql: Sql, token: string): Promise<ApiToken | undefined> {
  const [row] = await sql.query<Row>(`select ${COLUMNS} from api_tokens where token_hash = $1`, [
    hashToken(token),
  ]);
  return row ? toToken(row) : undefined;
}

/** Notes a use, at most once a minute per token (a write per request would be wasteful). */
export async function touchToken(sql: Sql, id: string): Promise<void> {
  await sql.query(
    `update api_tokens set last_used_at = now()
     where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
    [id],
  );
}

export async function listTokens(sql: Sql): Promise<ApiToken[]> {
  const rows = await sql.query<Row>(`select ${COLUMNS} from api_tokens order by created_at, id`);
  return rows.map(toToken);
}

/** Revokes a token (once: a second revocation keeps the first time); undefined if unknown. */
export async function revokeToken(sql: Sql, id: string): Promise<ApiToken | undefined> {
  const [row] = await sql.query<Row>(
    `update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = $1 returning ${COLUMNS}`,
    [id],
  );
  return row ? toToken(row) : undefined;
}
