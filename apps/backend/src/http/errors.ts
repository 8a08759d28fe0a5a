// One mapping from errors to HTTP answers for the JSON (non-MCP) routes:
// AppError keeps its status and message; a dependency outage is a 503 with
// Retry-After; Fastify's own client errors keep theirs; anything else is a
// logged 500 with no detail.
import { asDependencyOutage, isAppError } from '@flowpos/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export function httpErrorHandler(
  thrown: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  // PostgreSQL or Redis away is a 503 with Retry-After, not a 500.
  const error = asDependencyOutage(thrown) as FastifyError;
  if (isAppError(error)) {
    const retryAfter = error.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') reply.header('Retry-After', String(retryAfter));
    return reply.code(error.status).send({ error: error.message, code: error.code });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const message =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'Request body too large'
        : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'Unsupported Media Type: send application/json'
          : error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
            ? 'Request body is empty: send a JSON object'
            : error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
              ? 'Malformed JSON body'
              : error.message;
    return reply.code(status).send({ error: message });
  }
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send({ error: 'Internal server error' });
}
