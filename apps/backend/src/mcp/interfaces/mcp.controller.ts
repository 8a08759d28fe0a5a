// POST, GET and DELETE /mcp. Thin: Origin check, McpAuthGuard, the session
// header rules and the body checks here; sessions in McpSessionService; the
// protocol in the SDK server behind each session's SessionTransport. Auth is
// checked before the session lookup.
import { isAppError } from '@flowpos/core';
import {
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type JSONRPCRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MCP_PATH, type Config } from '../../config.ts';
import {
  isInitializeRequest,
  isJsonRpcMessage,
  JSONRPC,
  sendJsonRpcError,
} from '../../http/json-rpc.ts';
import type { ToolRegistry } from '@flowpos/core';
import type { McpSessionService } from '../application/mcp-session.service.ts';
import { StreamConflictError } from '../application/session-transport.ts';
import { insufficientScopeChallenge, unauthorizedChallenge } from './auth-challenge.ts';
import {
  AUTH_REQUIRED_MESSAGE,
  type Authenticated,
  type McpAuthGuard,
} from './guards/mcp-auth.guard.ts';

export const SESSION_HEADER_REQUIRED = 'mcp-session-id header required';
export const UNKNOWN_SESSION = 'Unknown session ID';

export interface McpControllerDeps {
  config: Config;
  guard: McpAuthGuard;
  sessions: McpSessionService;
  registry: ToolRegistry;
}

/** The SDK's own batch limit. */
const MAX_BATCH = 100;

function sendJson(
  reply: FastifyReply,
  sessionId: string,
  answer: JSONRPCMessage | JSONRPCMessage[] | null,
) {
  reply.header('mcp-session-id', sessionId);
  if (answer === null) return reply.code(202).send();
  return reply.code(200).type('application/json').send(JSON.stringify(answer));
}

function sessionIdOf(request: FastifyRequest): string | undefined {
  const value = request.headers['mcp-session-id'];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function registerMcpController(app: FastifyInstance, deps: McpControllerDeps): void {
  const { config, guard, sessions, registry } = deps;
  const resourceMetadata = `${config.publicBaseUrl}/.well-known/oauth-protected-resource`;
  const allowedOrigins = new Set(config.allowedOrigins);

  /** Origin, then credentials. Returns null when the reply has been sent. */
  const admit = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<Authenticated | null> => {
    const origin = request.headers.origin;
    // DNS-rebinding protection: a browser page may only call from an allowed origin.
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      sendJsonRpcError(reply, 403, JSONRPC.SERVER_ERROR, 'Forbidden: Origin not allowed');
      return null;
    }
    const auth = await guard.authenticate(request.headers.authorization);
    if (!auth) {
      reply.header('WWW-Authenticate', unauthorizedChallenge(resourceMetadata));
      sendJsonRpcError(reply, 401, JSONRPC.SERVER_ERROR, AUTH_REQUIRED_MESSAGE);
      return null;
    }
    return auth;
  };

  const findSession = async (request: FastifyRequest, reply: FastifyReply, auth: Authenticated) => {
    const sessionId = sessionIdOf(request);
    if (!sessionId) {
      sendJsonRpcError(reply, 400, JSONRPC.SERVER_ERROR, SESSION_HEADER_REQUIRED);
      return null;
    }
    const live = await sessions.getSession(sessionId, auth.credential);
    if (!live) {
      // 404, not the runbook's 400: the MCP spec tells clients to re-initialize on 404.
      sendJsonRpcError(reply, 404, JSONRPC.SESSION_NOT_FOUND, UNKNOWN_SESSION);
      return null;
    }
    return live;
  };

  const withErrors =
    (handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await handler(request, reply);
      } catch (error) {
        if (isAppError(error))
          return sendJsonRpcError(reply, error.status, JSONRPC.SERVER_ERROR, error.message);
        request.log.error({ err: error }, 'mcp request failed');
        return sendJsonRpcError(reply, 500, JSONRPC.SERVER_ERROR, 'Internal server error');
      }
    };

  app.post(
    MCP_PATH,
    withErrors(async (request, reply) => {
      const auth = await admit(request, reply);
      if (!auth) return reply;
      const contentType = request.headers['content-type'] ?? '';
      if (!contentType.toLowerCase().startsWith('application/json')) {
        return sendJsonRpcError(
          reply,
          415,
          JSONRPC.SERVER_ERROR,
          'Unsupported Media Type: Content-Type must be application/json',
        );
      }
      const accept = request.headers.accept ?? '';
      if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
        return sendJsonRpcError(
          reply,
          406,
          JSONRPC.SERVER_ERROR,
          'Not Acceptable: Client must accept both application/json and text/event-stream',
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(request.body as string);
      } catch {
        return sendJsonRpcError(reply, 400, JSONRPC.PARSE_ERROR, 'Parse error: Invalid JSON');
      }
      const raw = Array.isArray(body) ? body : [body];
      if (raw.length === 0 || raw.length > MAX_BATCH || !raw.every(isJsonRpcMessage)) {
        return sendJsonRpcError(
          reply,
          400,
          JSONRPC.INVALID_REQUEST,
          'Invalid Request: not a JSON-RPC 2.0 message',
        );
      }
      const messages = raw as JSONRPCMessage[];
      const initializing = messages.some(isInitializeRequest);
      if (initializing && (messages.length > 1 || Array.isArray(body))) {
        return sendJsonRpcError(
          reply,
          400,
          JSONRPC.INVALID_REQUEST,
          'Invalid Request: initialize must be sent alone',
        );
      }
      if (initializing && !sessionIdOf(request)) {
        const { live, answer } = await sessions.open(auth, messages[0] as JSONRPCRequest);
        if (!live) return reply.code(400).type('application/json').send(JSON.stringify(answer));
        return sendJson(reply, live.id, answer);
      }
      const live = await findSession(request, reply, auth);
      if (!live) return reply;
      if (initializing) {
        return sendJsonRpcError(
          reply,
          400,
          JSONRPC.INVALID_REQUEST,
          'Invalid Request: Server already initialized',
        );
      }
      const version = request.headers['mcp-protocol-version'];
      if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
        return sendJsonRpcError(
          reply,
          400,
          JSONRPC.SERVER_ERROR,
          `Bad Request: Unsupported protocol version (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
        );
      }
      const challenge = insufficientScopeChallenge(
        registry,
        live.principal,
        messages,
        resourceMetadata,
      );
      if (challenge) {
        reply.header('WWW-Authenticate', challenge);
        return sendJsonRpcError(reply, 403, JSONRPC.SERVER_ERROR, 'Forbidden: insufficient scope');
      }
      const answer = await live.transport.dispatch(messages, Array.isArray(body), {
        authInfo: undefined,
      });
      return sendJson(reply, live.id, answer);
    }),
  );

  app.get(
    MCP_PATH,
    withErrors(async (request, reply) => {
      const auth = await admit(request, reply);
      if (!auth) return reply;
      const live = await findSession(request, reply, auth);
      if (!live) return reply;
      if (!(request.headers.accept ?? '').includes('text/event-stream')) {
        return sendJsonRpcError(
          reply,
          406,
          JSONRPC.SERVER_ERROR,
          'Not Acceptable: Client must accept text/event-stream',
        );
      }
      if (live.transport.hasStream) {
        return sendJsonRpcError(
          reply,
          409,
          JSONRPC.SERVER_ERROR,
          'Conflict: Only one SSE stream is allowed per session',
        );
      }
      const lastEventId = request.headers['last-event-id'];
      // The stream outlives this handler: Fastify steps aside.
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'mcp-session-id': live.id,
      });
      try {
        await live.transport.openStream(res, {
          lastEventId: typeof lastEventId === 'string' && lastEventId ? lastEventId : undefined,
          protocolVersion: live.protocolVersion,
        });
      } catch (error) {
        if (!(error instanceof StreamConflictError))
          request.log.warn({ err: error }, 'GET stream failed');
        res.end();
      }
    }),
  );

  app.delete(
    MCP_PATH,
    withErrors(async (request, reply) => {
      const auth = await admit(request, reply);
      if (!auth) return reply;
      const live = await findSession(request, reply, auth);
      if (!live) return reply;
      await sessions.close(live);
      return reply.code(200).send();
    }),
  );
}
