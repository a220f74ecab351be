/**
 * API tokens, for admins: create (the token is in the answer, once), list (never a secret),
 * revoke; and `GET /v1/me`, the calling token's name and role. The CLI's `relance tokens` calls these when a stack holds the embedded store.
 */
import type { FastifyInstance } from 'fastify';
import { ANY_ROLE } from '../domain/roles';
import { ErrorCode, RelanceError } from '../domain/errors';
import { parseTokenInput } from '../domain/token-input';
import type { Sql } from '../store/db';
import { createToken, listTokens, revokeToken } from '../store/token-repository';
import { requireJson } from './input-guard';

export function registerTokenRoutes(app: FastifyInstance, db: Sql): void {
  const admin = { access: ['admin'] } as const;
  app.post('/v1/tokens', { onRequest: requireJson, config: admin }, async (request, reply) => {
    const created = await createToken(db, parseTokenInput(request.body));
    return reply.status(201).send(created);
  });
  // Who the caller is: the console shows the name and role and fills "mine" with the name.
  app.get('/v1/me', { config: { access: ANY_ROLE } }, (request) => ({
    name: request.principal?.name,
    role: request.principal?.role,
  }));
  app.get('/v1/tokens', { config: admin }, async () => ({ tokens: await listTokens(db) }));
  app.delete<{ Params: { id: string } }>('/v1/tokens/:id', { config: admin }, async (request) => {
    const revoked = await revokeToken(db, request.params.id);
    if (!revoked) throw new RelanceError(ErrorCode.NotFound, `No token "${request.params.id}"`);
    return revoked;
  });
}
