// POST, GET and DELETE /mcp. Thin: Origin check, McpAuthGuard, the session
// header rules and the body checks here; sessions in McpSessionService; the
// protocol in the SDK transport. Auth is checked before the session lookup.
import { isAppError } from '@flowpos/core';
import type { JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MCP_PATH, type Config } from '../../config.ts';
import {
  isInitializeRequest,
  isJsonRpcMessage,
  JSONRPC,
  sendJsonRpcError,
} from '../../http/json-rpc.ts';
import type { McpSessionService } from '../application/mcp-session.service.ts';
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
}

const FORWARDED_HEADERS = [
  'accept',
  'content-type',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
];

function webRequest(request: FastifyRequest, url: string): Request {
  const headers = new Headers();
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  return new Request(url, { method: request.method, headers });
}

const SSE_OPENED = new TextEncoder().encode(': stream opened\n\n');
const sseOpened = () =>
  new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      controller.enqueue(SSE_OPENED);
    },
  });

/**
 * A JSON answer (or a 202) goes out as one buffer with a content-length; only
 * streams stay web streams. Returning the Response itself costs a chunked
 * stream and a second write on every tools/call.
 */
async function sendResponse(reply: FastifyReply, response: Response) {
  const type = response.headers.get('content-type') ?? '';
  if (response.status === 202 || type.startsWith('application/json')) {
    reply.code(response.status);
    response.headers.forEach((value, name) => void reply.header(name, value));
    return reply.send(
      response.status === 202 ? undefined : Buffer.from(await response.arrayBuffer()),
    );
  }
  return response;
}

function sessionIdOf(request: FastifyRequest): string | undefined {
  const value = request.headers['mcp-session-id'];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function registerMcpController(app: FastifyInstance, deps: McpControllerDeps): void {
  const { config, guard, sessions } = deps;
  const mcpUrl = `${config.publicBaseUrl}${MCP_PATH}`;
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
      reply.header('WWW-Authenticate', `Bearer resource_metadata="${resourceMetadata}"`);
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
      const messages = Array.isArray(body) ? body : [body];
      if (messages.length === 0 || !messages.every(isJsonRpcMessage)) {
        return sendJsonRpcError(
          reply,
          400,
          JSONRPC.INVALID_REQUEST,
          'Invalid Request: not a JSON-RPC 2.0 message',
        );
      }
      if (isInitializeRequest(body) && !sessionIdOf(request)) {
        return sendResponse(
          reply,
          await sessions.open(auth, body as JSONRPCRequest, webRequest(request, mcpUrl)),
        );
      }
      if (Array.isArray(body) && body.some(isInitializeRequest)) {
        return sendJsonRpcError(
          reply,
          400,
          JSONRPC.INVALID_REQUEST,
          'Invalid Request: initialize must be sent alone',
        );
      }
      const live = await findSession(request, reply, auth);
      if (!live) return reply;
      return sendResponse(
        reply,
        await live.transport.handleRequest(webRequest(request, mcpUrl), { parsedBody: body }),
      );
    }),
  );

  app.get(
    MCP_PATH,
    withErrors(async (request, reply) => {
      const auth = await admit(request, reply);
      if (!auth) return reply;
      const live = await findSession(request, reply, auth);
      if (!live) return reply;
      const response = await live.transport.handleRequest(webRequest(request, mcpUrl));
      if (response.status === 200 && response.body) {
        const release = sessions.streamOpened(live);
        request.raw.on('close', release);
        reply.raw.on('close', release);
        // Node sends no headers before the first body byte, and the SDK writes
        // nothing on an idle GET stream until its 15 s keep-alive: an SSE
        // comment opens the stream now. Cancelling still reaches the SDK.
        return new Response(response.body.pipeThrough(sseOpened()), {
          status: response.status,
          headers: response.headers,
        });
      }
      return response;
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
