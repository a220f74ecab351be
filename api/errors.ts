/** The API's one error shape: `{ error, message, issues? }`, from the error catalogue. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ErrorCode, RelanceError } from '../domain/errors';

const statusOf: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNKNOWN_REFERENCE: 400,
  INVALID_CONFIG: 500,
  INVALID_TEMPLATE: 400,
  NOT_FOUND: 404,
  PROVIDER_REJECTED: 502,
  UNAUTHORIZED: 401,
};

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | RelanceError, request, reply) => {
    if (error instanceof RelanceError) {
      return reply.status(statusOf[error.code]).send({
        error: error.code,
        message: error.message,
        ...(error.issues.length ? { issues: error.issues } : {}),
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(status).send({
      error: status === 400 ? ErrorCode.InvalidInput : 'INTERNAL',
      message: status >= 500 ? 'Internal error' : error.message,
      ...(status === 400 ? { issues: [{ path: '(root)', message: error.message }] } : {}),
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: ErrorCode.NotFound, message: `No route ${request.method} ${request.url}` }),
  );
}
