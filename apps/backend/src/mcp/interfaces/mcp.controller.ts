// POST, GET and DELETE /mcp, both protocol eras. Thin: Host and Origin checks,
// McpAuthGuard, then the era: a request carrying the 2026-07-28 `_meta`
// envelope goes to McpRequestService (stateless, per request); anything else
// is 2025-era and keeps the session header rules and body checks here, with
// sessions in McpSessionService and the protocol in the SDK server behind each
// session's SessionTransport. Auth is checked before the session lookup.
import {
  asDependencyOutage,
  isAppError,
  unstorableIn,
  type Principal,
  type RequestLogRecorder,
  type ToolRegistry,
} from '@flowpos/core';
import {
  classifyInboundRequest,
  PROTOCOL_VERSION_META_KEY,
  SUPPORTED_PROTOCOL_VERSIONS,
  type InboundClassificationOutcome,
  type InboundHttpRequest,
  type JSONRPCMessage,
  type JSONRPCRequest,
} from '@modelcontextprotocol/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MCP_PATH, protectedResourceMetadataUrl, type Config } from '../../config.ts';
import {
  initializeTooLarge,
  isInitializeRequest,
  isJsonRpcMessage,
  JSONRPC,
  sendJsonRpcError,
} from '../../http/json-rpc.ts';
import type { OriginPolicy } from '../../http/origin-policy.ts';
import type { McpRequestService } from '../stateless/mcp-request.service.ts';
import type { McpSessionService } from '../application/mcp-session.service.ts';
import { StreamConflictError } from '../sessions/session-transport.ts';
import { observeSessionPost } from '../shared/inspect-requests.ts';
import { initializeToStore } from '../sessions/stored-initialize.ts';
import { insufficientScopeChallenge, unauthorizedChallenge } from '../auth/auth-challenge.ts';
import { AUTH_REQUIRED_MESSAGE } from './guards/mcp-auth.guard.ts';
import type { McpAuthGuard } from './guards/mcp-auth.guard.ts';
import type { Authenticated } from '../shared/authenticated.ts';

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

/** A revision header naming something other than a 2025-era version (2026-07-28 and later). */
function claimsModernRevision(request: FastifyRequest): boolean {
  const version = request.headers['mcp-protocol-version'];
  return (
    typeof version === 'string' &&
    version > '2026' &&
    !SUPPORTED_PROTOCOL_VERSIONS.includes(version)
  );
}

function hasEnvelope(message: unknown): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const meta = (message as { params?: { _meta?: Record<string, unknown> } | null }).params?._meta;
  return typeof meta === 'object' && meta !== null && PROTOCOL_VERSION_META_KEY in meta;
}

/** The headers the SDK's classifier reads, by their InboundHttpRequest fields. */
const STANDARD_HEADERS = [
  ['mcp-protocol-version', 'protocolVersionHeader'],
  ['mcp-method', 'mcpMethodHeader'],
  ['mcp-name', 'mcpNameHeader'],
] as const;

/**
 * The SDK's classification of a 2026-era POST; undefined for 2025 traffic.
 * Cheap for 2025 traffic (no envelope, no modern header); otherwise the SDK's
 * own classifier decides (the one behind isLegacyRequest, given the headers it
 * reads, with no web Request built), so that malformed modern requests get
 * the modern path's errors. The outcome goes on with the request: the fast
 * path reads it instead of classifying again.
 */
function modernRoute(
  request: FastifyRequest,
  body: unknown,
): InboundClassificationOutcome | undefined {
  const messages = Array.isArray(body) ? body : [body];
  if (!claimsModernRevision(request) && !messages.some(hasEnvelope)) return undefined;
  const inbound: InboundHttpRequest = { httpMethod: 'POST', body };
  for (const [name, field] of STANDARD_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') inbound[field] = value;
  }
  const outcome = classifyInboundRequest(inbound);
  return outcome.kind === 'legacy' ? undefined : outcome;
}

/** Aborts when the client goes away before its answer is written. */
function clientGone(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  return gone.signal;
}

/** Headers set through Fastify (CORS) onto the raw response, for handlers that hijack it. */
function carryHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) reply.raw.setHeader(name, value as string | string[] | number);
  }
}

function sessionIdOf(request: FastifyRequest): string | undefined {
  const value = request.headers['mcp-session-id'];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function registerMcpController(app: FastifyInstance, deps: McpControllerDeps): void {
  const { config, guard, sessions, registry, requests, origins, inspector } = deps;
  const resourceMetadata = protectedResourceMetadataUrl(config);

  /** Host and Origin, then credentials. Returns null when the reply has been sent. */
  const admit = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<Authenticated | null> => {
    // DNS-rebinding protection: only our own host names, and browser pages
    // only from allowed origins.
    if (!origins.allowsHost(request.headers.host)) {
      sendJsonRpcError(reply, 403, JSONRPC.SERVER_ERROR, 'Forbidden: Host not allowed');
      return null;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !origins.allowsOrigin(origin)) {
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
    const live = await sessions.getSession(sessionId, auth.credential, auth.principal);
    if (!live) {
      // 404, not the runbook's 400: the MCP spec tells clients to re-initialize on 404.
      sendJsonRpcError(reply, 404, JSONRPC.SESSION_NOT_FOUND, UNKNOWN_SESSION);
      return null;
    }
    return live;
  };

  /** 403 with an insufficient_scope challenge for a call beyond the principal's scopes; true once replied. */
  const refusedForScope = (
    reply: FastifyReply,
    principal: Principal,
    messages: JSONRPCMessage[],
  ): boolean => {
    const challenge = insufficientScopeChallenge(registry, principal, messages, resourceMetadata);
    if (!challenge) return false;
    reply.header('WWW-Authenticate', challenge);
    sendJsonRpcError(reply, 403, JSONRPC.SERVER_ERROR, 'Forbidden: insufficient scope');
    return true;
  };

  const withErrors =
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
      const accept = request.headers.accept ?? '';
      if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
        return sendJsonRpcError(
          reply,
          406,
          JSONRPC.SERVER_ERROR,
          'Not Acceptable: Client must accept both application/json and text/event-stream',
        );
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
      if (
        initializing &&
        initializeTooLarge(
          initializeToStore((messages[0] as JSONRPCRequest).params),
          config.maxInitializeBytes,
        )
      ) {
        return sendJsonRpcError(
          reply,
          400,
          JSONRPC.INVALID_REQUEST,
          `Invalid Request: protocolVersion, clientInfo and capabilities exceed ${config.maxInitializeBytes} bytes`,
        );
      }
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
