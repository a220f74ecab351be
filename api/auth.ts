/**
 * Who is calling: every route declares its roles in one place, its options' `config.access`, and
 * one onRequest hook enforces them. Default deny: a /v1 route that declares nothing is for admin
 * only; `public` routes (provider webhooks, unsubscribe links) prove their callers otherwise.
 * 401 UNAUTHENTICATED without a token or with one unknown or revoked; 403 FORBIDDEN, naming the
 * roles allowed, for a token of another role.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCode, RelanceError, type FieldIssue } from '../domain/errors';
import { eventTypes } from '../domain/events';
import { ANY_ROLE, rolesForEventType, withAdmin, type Access, type Role } from '../domain/roles';
import type { Sql } from '../store/db';
import { findToken, touchToken } from '../store/token-repository';

export interface Principal {
  /** The token's id; `env` for RELANCE_ADMIN_TOKEN. */
  tokenId: string;
  name: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The roles that may call this route (admin always may), or `public`. */
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface AuthDeps {
  db: Sql;
  /** RELANCE_ADMIN_TOKEN: a token with the admin role that lives outside the store. */
  adminToken?: string;
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

const routeTables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route of `app` with its effective access, in registration order (for tests and docs). */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return routeTables.get(app) ?? [];
}

/** The access of a route as the hook applies it: declared, else admin-only under /v1, else public. */
function effectiveAccess(url: string | undefined, declared: Access | undefined): Access {
  if (declared === 'public') return 'public';
  if (declared) return withAdmin(declared);
  if (url === undefined) return ANY_ROLE; // no such route: any caller with a token learns it is a 404
  return url.startsWith('/v1/') ? ['admin'] : 'public';
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S{1,512})[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

/** `admin, finance or agent` */
const either = (roles: readonly Role[]) =>
  roles.length > 1 ? `${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]}` : (roles[0] ?? '');

const unauthenticated = (message: string) => new RelanceError(ErrorCode.Unauthenticated, message);

async function authenticate(request: FastifyRequest, deps: AuthDeps): Promise<Principal> {
  const token = bearerToken(request.headers.authorization);
  if (!token) throw unauthenticated('This route needs an API token: send "Authorization: Bearer <token>"');
  if (deps.adminToken && timingSafeEqual(sha256(token), sha256(deps.adminToken)))
    return { tokenId: 'env', name: 'RELANCE_ADMIN_TOKEN', role: 'admin' };
  const stored = await findToken(deps.db, token);
  if (!stored) throw unauthenticated('Unknown API token');
  if (stored.revokedAt) throw unauthenticated(`This API token was revoked at ${stored.revokedAt}`);
  await touchToken(deps.db, stored.id);
  return { tokenId: stored.id, name: stored.name, role: stored.role };
}

function forbidden(allowed: readonly Role[], principal: Principal, issues: FieldIssue[] = []): RelanceError {
  return new RelanceError(
    ErrorCode.Forbidden,
    `This needs the role ${either(allowed)}; the token "${principal.name}" has the role ${principal.role}`,
    issues,
  );
}

/** Installs the route table and the access hook; call before any route is registered. */
export function installAuth(app: FastifyInstance, deps: AuthDeps): void {
  const table: RouteEntry[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = effectiveAccess(route.url, route.config?.access);
    for (const method of methods) table.push({ method, url: route.url, access });
  });
  app.addHook('onRequest', async (request) => {
    const access = effectiveAccess(request.routeOptions.url, request.routeOptions.config.access);
    if (access === 'public') return;
    const principal = await authenticate(request, deps);
    request.principal = principal;
    if (!access.includes(principal.role)) throw forbidden(access, principal);
  });
}

/**
 * POST /v1/events: each event's type needs its own roles (an invoice is finance's, a campaign
 * marketing's, an erasure admin's). One event the caller may not post refuses the whole batch,
 * naming `[i].type`; types the contract does not know are left to validation (a 400).
 */
export function assertMayPostEvents(principal: Principal | undefined, body: unknown): void {
  if (!principal || principal.role === 'admin') return;
  const batch = Array.isArray(body);
  const items: unknown[] = batch ? body : [body];
  const issues: FieldIssue[] = [];
  const needed = new Set<Role>();
  items.forEach((item, i) => {
    const type = typeof item === 'object' && item !== null ? (item as { type?: unknown }).type : undefined;
    if (typeof type !== 'string' || !(eventTypes as readonly string[]).includes(type)) return;
    const roles = rolesForEventType(type);
    if (roles.includes(principal.role)) return;
    roles.forEach((r) => needed.add(r));
    issues.push({
      path: batch ? `[${i}].type` : 'type',
      message: `"${type}" needs the role ${either(roles)}`,
    });
  });
  if (issues.length > 0) throw forbidden([...needed], principal, issues);
}
