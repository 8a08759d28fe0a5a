// How /mcp answers on Fastify: JSON answers of a 2025 session, errors as
// JSON-RPC (a dependency outage as 503 + Retry-After), and the raw response
// handed to the SDK or a stream once Fastify steps aside.
import { asDependencyOutage, isAppError } from '@flowpos/core';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JSONRPC, sendJsonRpcError } from '../../http/json-rpc.ts';

export function sendJson(
  reply: FastifyReply,
  sessionId: string,
  answer: JSONRPCMessage | JSONRPCMessage[] | null,
) {
  reply.header('mcp-session-id', sessionId);
  if (answer === null) return reply.code(202).send();
  return reply.code(200).type('application/json').send(JSON.stringify(answer));
}

/** Aborts when the client goes away before its answer is written. */
export function clientGone(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  return gone.signal;
}

/** Headers set through Fastify (CORS) onto the raw response, for handlers that hijack it. */
export function carryHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) reply.raw.setHeader(name, value as string | string[] | number);
  }
}

export function sessionIdOf(request: FastifyRequest): string | undefined {
  const value = request.headers['mcp-session-id'];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A handler whose thrown errors become JSON-RPC error answers. */
export const withErrors =
  (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
  async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      return await handler(request, reply);
    } catch (thrown) {
      // PostgreSQL or Redis away: 503 + Retry-After, like any other "try again".
      const error = asDependencyOutage(thrown);
      if (isAppError(error)) {
        const retryAfter = error.details?.retryAfterSeconds;
        if (typeof retryAfter === 'number') reply.header('Retry-After', String(retryAfter));
        if (error.status === 503)
          request.log.warn({ err: thrown }, 'mcp request refused: dependency unavailable');
        return sendJsonRpcError(reply, error.status, JSONRPC.SERVER_ERROR, error.message);
      }
      request.log.error({ err: error }, 'mcp request failed');
      return sendJsonRpcError(reply, 500, JSONRPC.SERVER_ERROR, 'Internal server error');
    }
  };
