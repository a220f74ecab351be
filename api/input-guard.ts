/**
 * Checks every request makes before its handler: path parameters and query strings hold text the
 * store can read (no NUL, no unpaired surrogate: PostgreSQL refuses both) and ids no longer than
 * an id can be, so `GET /v1/invoices/a%00b` is a 400 naming `params.id`, not a database error.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, invalidInput, RelanceError, type FieldIssue } from '../domain/errors';
import { jsonValueIssues } from '../domain/text-guard';

/** The longest id the event schemas accept; a longer one names nothing. */
export const MAX_PARAM_LENGTH = 200;

function paramIssues(params: unknown): FieldIssue[] {
  const issues = jsonValueIssues(params, ['params'], { maxDepth: 1 });
  if (typeof params === 'object' && params !== null)
    for (const [name, value] of Object.entries(params))
      if (typeof value === 'string' && value.length > MAX_PARAM_LENGTH)
        issues.push({ path: `params.${name}`, message: `expected at most ${MAX_PARAM_LENGTH} characters` });
  return issues;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route checks its body's text and nesting itself, with paths of its own (POST /v1/events). */
    checksOwnBody?: boolean;
  }
}

/** Nesting no JSON body of this API needs; deeper is refused before a handler walks it. */
const BODY_LIMITS = { maxDepth: 32 };

/** No route reads a repeated query parameter; `?locale=a&locale=b` is a 400, not a guess. */
function queryIssues(query: unknown): FieldIssue[] {
  const issues = jsonValueIssues(query, ['query'], { maxDepth: 2 });
  if (typeof query === 'object' && query !== null)
    for (const [name, value] of Object.entries(query))
      if (Array.isArray(value)) issues.push({ path: `query.${name}`, message: 'expected a single value' });
  return issues;
}

export function installInputGuard(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const issues = [...paramIssues(request.params), ...queryIssues(request.query)];
    done(issues.length > 0 ? invalidInput(issues, 'The request URL is invalid') : undefined);
  });
  // Every parsed body (JSON, forms) of every route, present and future; raw bodies are skipped.
  app.addHook('preValidation', (request, _reply, done) => {
    const issues = request.routeOptions.config.checksOwnBody
      ? []
      : jsonValueIssues(request.body, [], BODY_LIMITS);
    done(issues.length > 0 ? invalidInput(issues, 'The request body is invalid') : undefined);
  });
}

/** Route hook: the body must be JSON, refused with 415 before it is read otherwise. */
export function requireJson(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  const type = request.headers['content-type'];
  const media = type?.split(';')[0]?.trim().toLowerCase();
  done(
    media === 'application/json'
      ? undefined
      : new RelanceError(
          ErrorCode.UnsupportedMediaType,
          `Unsupported content type "${type ?? '(none)'}": send application/json`,
        ),
  );
}
