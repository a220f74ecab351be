/**
 * The API's one error shape: `{ error, message, issues? }`, from the error catalogue. A request
 * the framework itself refuses (bad JSON, a body too large, a media type no route reads, a URL
 * that does not decode) gets the same shape and its own 4xx; only a real bug answers 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, RelanceError } from '../domain/errors';

const statusOf: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNKNOWN_REFERENCE: 400,
  INVALID_CONFIG: 500,
  INVALID_TEMPLATE: 400,
  NOT_FOUND: 404,
  PROVIDER_REJECTED: 502,
  UNAUTHORIZED: 401,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_CONFIGURED: 503,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
};

/** The catalogue code of a 4xx the framework raised. */
function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 404:
      return ErrorCode.NotFound;
    case 413:
      return ErrorCode.PayloadTooLarge;
    case 415:
      return ErrorCode.UnsupportedMediaType;
    default:
      return ErrorCode.InvalidInput;
  }
}

function bytes(limit: number): string {
  return limit % (1024 * 1024) === 0 ? `${limit / (1024 * 1024)} MiB` : `${limit} bytes`;
}

/** What the caller reads for a framework 4xx: the limit for 413, the accepted types for 415. */
function messageOf(error: FastifyError, status: number, request: FastifyRequest): string {
  if (status === 413)
    return `The request body is larger than the limit of ${bytes(request.routeOptions.bodyLimit)}`;
  if (status === 415)
    return `Unsupported content type "${request.headers['content-type'] ?? '(none)'}": send application/json`;
  return error.message;
}

/** A framework error as the API answers it; 5xx are logged and say nothing of their cause. */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    void reply.status(status).send({ error: 'INTERNAL', message: 'Internal error' });
    return;
  }
  const code = codeOfStatus(status);
  const message = messageOf(error, status, request);
  void reply.status(status).send({
    error: code,
    message,
    ...(code === ErrorCode.InvalidInput ? { issues: [{ path: '(root)', message }] } : {}),
  });
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | RelanceError, request, reply) => {
    if (error instanceof RelanceError) {
      if (error.code === ErrorCode.Unauthenticated)
        void reply.header('www-authenticate', 'Bearer realm="relance"');
      return reply.status(statusOf[error.code]).send({
        error: error.code,
        message: error.message,
        ...(error.issues.length ? { issues: error.issues } : {}),
      });
    }
    sendFrameworkError(error, request, reply);
    return reply;
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: ErrorCode.NotFound, message: `No route ${request.method} ${request.url}` }),
  );
}
