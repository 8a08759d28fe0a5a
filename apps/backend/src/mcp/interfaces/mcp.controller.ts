// POST, GET and DELETE /mcp, both protocol eras. Thin: Host and Origin checks,
// McpAuthGuard, then the era (mcp/endpoint/era-routing.ts): a request carrying
// the 2026-07-28 `_meta` envelope goes to McpRequestService (stateless, per
// request); anything else is 2025-era and keeps the session header rules and
// body checks (mcp/endpoint/session-post.ts), with sessions in
// McpSessionService and the protocol in the SDK server behind each session's
// SessionTransport. Auth is checked before the session lookup.
import { unstorableIn, type RequestLogRecorder, type ToolRegistry } from '@flowpos/core';
import {
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type JSONRPCRequest,
} from '@modelcontextprotocol/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MCP_PATH, protectedResourceMetadataUrl, type Config } from '../../config.ts';
import { JSONRPC, sendJsonRpcError } from '../../http/json-rpc.ts';
import type { OriginPolicy } from '../../http/origin-policy.ts';
import type { McpSessionService } from '../application/mcp-session.service.ts';
import { admission } from '../endpoint/admission.ts';
import { claimsModernRevision, modernRoute } from '../endpoint/era-routing.ts';
import {
  carryHeaders,
  clientGone,
  sendJson,
  sessionIdOf,
  withErrors,
} from '../endpoint/replies.ts';
import { checkSessionPost } from '../endpoint/session-post.ts';
import { StreamConflictError } from '../sessions/session-transport.ts';
import { observeSessionPost } from '../shared/inspect-requests.ts';
import type { Authenticated } from '../shared/authenticated.ts';
import type { McpRequestService } from '../stateless/mcp-request.service.ts';
import type { McpAuthGuard } from './guards/mcp-auth.guard.ts';

export const SESSION_HEADER_REQUIRED = 'mcp-session-id header required';
export const UNKNOWN_SESSION = 'Unknown session ID';

export interface McpControllerDeps {
  config: Config;
  guard: McpAuthGuard;
  sessions: McpSessionService;
  registry: ToolRegistry;
  requests: McpRequestService;
  origins: OriginPolicy;
  /** The session inspector's queue (2025 sessions; 2026 requests are McpRequestService's). */
  inspector?: RequestLogRecorder | undefined;
}

export function registerMcpController(app: FastifyInstance, deps: McpControllerDeps): void {
  const { config, guard, sessions, registry, requests, origins, inspector } = deps;

  const { admit, refusedForScope } = admission({
    guard,
    origins,
    registry,
    resourceMetadataUrl: protectedResourceMetadataUrl(config),
  });

  const findSession = async (request: FastifyRequest, reply: FastifyReply, auth: Authenticated) => {
    const sessionId = sessionIdOf(request);
    if (!sessionId) {
      sendJsonRpcError(reply, 400, JSONRPC.SERVER_ERROR, SESSION_HEADER_REQUIRED);
      return null;
    }
    const live = await sessions.getSession(sessionId, auth.credential, auth.principal);
    if (!live) {
      // 404, not the runbook's 400: the MCP spec tells clients to re-initialize on 404.
      sendJsonRpcError(reply, 404, JSONRPC.SESSION_NOT_FOUND, UNKNOWN_SESSION);
      return null;
    }
    return live;
  };

  app.post(
    MCP_PATH,
    withErrors(async (request, reply) => {
      const at = Date.now();
      const started = performance.now();
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
      let body: unknown;
      try {
        body = JSON.parse(request.body as string);
      } catch {
        return sendJsonRpcError(reply, 400, JSONRPC.PARSE_ERROR, 'Parse error: Invalid JSON');
      }
      // Refused here, on both eras, before any of it reaches a tool, a store or the audit trail.
      const unstorable = unstorableIn(body);
      if (unstorable) {
        return sendJsonRpcError(
          reply,
          400,
          JSONRPC.INVALID_PARAMS,
          `Invalid params: ${unstorable} cannot be accepted`,
        );
      }
      const route = modernRoute(request, body);
      if (route) {
        const messages = (Array.isArray(body) ? body : [body]) as JSONRPCMessage[];
        if (refusedForScope(reply, auth.principal, messages)) return reply;
        // The SDK writes the answer (JSON or an SSE stream) on the raw response.
        reply.hijack();
        carryHeaders(reply);
        await requests.serve(request.raw, reply.raw, auth, body, route);
        return;
      }
      const checked = checkSessionPost(request, reply, body, config.maxInitializeBytes);
      if (!checked) return reply;
      const { messages, initializing } = checked;
      if (initializing && !sessionIdOf(request)) {
        const { live, answer } = await sessions.open(auth, messages[0] as JSONRPCRequest);
        if (!live) return reply.code(400).type('application/json').send(JSON.stringify(answer));
        const business = live.principal.activeBusinessId;
        observeSessionPost(inspector, live.id, business, messages, answer, at, started);
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
      if (refusedForScope(reply, live.principal, messages)) return reply;
      // The business the requests act for, before one of them switches it.
      const business = live.principal.activeBusinessId;
      const fast = sessions.answerPlain(live, body, () => clientGone(reply));
      let answer: JSONRPCMessage | JSONRPCMessage[] | null;
      if (fast) answer = await fast;
      else {
        await sessions.serverFor(live);
        answer = await live.transport.dispatch(
          messages,
          Array.isArray(body),
          { authInfo: undefined },
          clientGone(reply),
        );
      }
      observeSessionPost(inspector, live.id, business, messages, answer, at, started);
      return sendJson(reply, live.id, answer);
    }),
  );

  /** 2026-07-28 has no GET stream and no session to delete: 405, as the spec says. */
  const refuseModern = (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (!claimsModernRevision(request)) return false;
    reply.header('Allow', 'POST');
    sendJsonRpcError(reply, 405, JSONRPC.SERVER_ERROR, 'Method Not Allowed');
    return true;
  };

  /** GET and DELETE: an admitted 2025-era request for a live session of its credential; null once replied. */
  const sessionRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    const auth = await admit(request, reply);
    if (!auth || refuseModern(request, reply)) return null;
    return findSession(request, reply, auth);
  };

  app.get(
    MCP_PATH,
    withErrors(async (request, reply) => {
      const live = await sessionRequest(request, reply);
      if (!live) return reply;
      if (!(request.headers.accept ?? '').includes('text/event-stream')) {
        return sendJsonRpcError(
          reply,
          406,
          JSONRPC.SERVER_ERROR,
          'Not Acceptable: Client must accept text/event-stream',
        );
      }
      // The stream's list_changed notifications come from the session's SDK server.
      await sessions.serverFor(live);
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
      carryHeaders(reply);
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
      const live = await sessionRequest(request, reply);
      if (!live) return reply;
      await sessions.close(live);
      return reply.code(200).send();
    }),
  );
}
