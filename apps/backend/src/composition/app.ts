// The HTTP server: one Fastify instance carrying /mcp, the token and key
// routes, OAuth discovery, the OAuth authorization server, /trpc and the health probes. Every request runs
// inside its request context (id from the load balancer's x-request-id or
// new), which every log line and the response's x-request-id carry.
import { createServer, type ServerResponse } from 'node:http';
import { appRouter, createTRPCContext, type AppRouter } from '@flowpos/api';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type onResponseHookHandler,
} from 'fastify';
import type { Logger } from 'pino';
import {
  asDependencyOutage,
  badRequest,
  isAppError,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
  unstorableIn,
} from '@flowpos/core';
import { registerCors } from '../http/cors.ts';
import { httpErrorHandler } from '../http/errors.ts';
import { JSONRPC, jsonRpcError } from '../http/json-rpc.ts';
import { registerHealthRoutes } from '../observability/health.routes.ts';
import { registerMetricsRoute } from '../observability/metrics.routes.ts';
import { registerRateLimits } from '../http/rate-limits.ts';
import { createOriginPolicy } from '../http/origin-policy.ts';
import { registerKeyRoutes } from '../keys/keys.routes.ts';
import { registerAuditExportRoutes } from '../audit/audit-export.routes.ts';
import { registerTokenRoutes } from '../tokens/token.routes.ts';
import { registerWellKnownRoutes } from '../oauth/well-known.routes.ts';
import { registerMcpController } from '../mcp/interfaces/mcp.controller.ts';
import { captureMetaTraceContext } from '../observability/tool-spans.ts';
import {
  REQUEST_ID_HEADER,
  currentRequestId,
  requestContext,
  requestIdFor,
} from '../observability/request-context.ts';
import { registerOAuthRoutes } from '../oauth/oauth.routes.ts';
import type { Services } from './services.ts';

/** Trust the first `n` proxies in front of us (Fastify's own meaning of a hop count). */
const trustHops = (n: number) => (_address: string, hop: number) => hop < n;

/** 503 for a request that reaches an instance shutting down: retry (the load balancer sends it elsewhere). */
function refuseWhileDraining(res: ServerResponse): void {
  const body = JSON.stringify(
    jsonRpcError(
      JSONRPC.SERVER_ERROR,
      'Service unavailable: this instance is shutting down; try again',
    ),
  );
  res.writeHead(503, {
    'content-type': 'application/json',
    'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS),
    connection: 'close',
  });
  res.end(body);
}

export async function buildApp(services: Services, logger: Logger): Promise<FastifyInstance> {
  const { config, core } = services;
  let draining = false;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.maxBodyBytes,
    routerOptions: { maxParamLength: 200 },
    // Behind a load balancer: whose X-Forwarded-For to believe for the client address (rate limits).
    trustProxy:
      typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // The header goes out before any handler runs, so hijacked replies (SSE) carry it too.
    // Fastify applies keepAliveTimeout only to servers it creates itself.
    serverFactory: (handler) => {
      const server = createServer((req, res) => {
        const requestId = requestIdFor(req.headers[REQUEST_ID_HEADER]);
        res.setHeader(REQUEST_ID_HEADER, requestId);
        // Shutting down: a request on a kept-alive connection is told to retry (elsewhere),
        // in the product's shape, instead of Fastify's bare 503 (no Retry-After, no JSON-RPC).
        if (draining) return refuseWhileDraining(res);
        requestContext.run({ requestId }, () => handler(req, res));
      });
      server.keepAliveTimeout = config.keepAliveTimeoutMs;
      return server;
    },
    genReqId: () => currentRequestId() ?? requestIdFor(undefined),
    // The logger's mixin adds the request id to every line: no second copy from Fastify.
    childLoggerFactory: (parent, _bindings, options) => parent.child({}, options),
    // Fastify's two lines per request are replaced by one (LOG_REQUESTS) below.
    logController: new LogController({ disableRequestLogging: true }),
  });
  if (config.tracing.enabled) {
    // A tools/call's own trace context (`_meta.traceparent`) wins over the HTTP header's.
    app.addHook('preHandler', async (request) => {
      if (request.routeOptions.url === '/mcp') captureMetaTraceContext(request.body);
    });
  }
  const { metrics } = services;
  if (metrics) {
    // Callback hooks, not async ones: no promise per request. Each route's
    // pattern is captured once, when the route is added (request.routeOptions
    // builds an object on every access); requests no route matched count as
    // `unmatched`.
    const record = (route: string, request: FastifyRequest, reply: FastifyReply) => {
      const status = reply.statusCode;
      metrics.httpRequest(request.method, route, status, reply.elapsedTime / 1000);
      if (status === 401 || status === 403) {
        if (route === '/mcp/token') metrics.authFailure('token_exchange_refused');
        else if (route === '/mcp/token/refresh') metrics.authFailure('token_refresh_refused');
      }
    };
    app.addHook('onRoute', (route) => {
      const observe: onResponseHookHandler = (request, reply, done) => {
        record(route.url, request, reply);
        done();
      };
      route.onResponse = [...(route.onResponse ? [route.onResponse].flat() : []), observe];
    });
    app.addHook('onResponse', (request, reply, done) => {
      if (request.is404) record('unmatched', request, reply);
      done();
    });
    if (config.metrics.onMainPort) registerMetricsRoute(app, metrics, config.metrics.token);
  }
  if (config.logRequests) {
    app.addHook('onResponse', (request, reply, done) => {
      request.log.info(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request',
      );
      done();
    });
  }
  app.setErrorHandler(httpErrorHandler);
  // What a caller sends that cannot be stored as sent (storable.ts) is a 400
  // before any handler sees it. /mcp parses its own body (and checks it there);
  // tRPC checks its input in its own procedures, to answer in its own shape.
  app.addHook('preValidation', async (request) => {
    if (request.url.startsWith('/trpc')) return;
    const problem =
      unstorableIn(request.params) ??
      unstorableIn(request.query) ??
      (typeof request.body === 'object' ? unstorableIn(request.body) : null);
    if (problem) throw badRequest(`Invalid input: ${problem} cannot be accepted`);
  });
  // Open GET /mcp streams would hold app.close() open: end them first. Their
  // records stay in the store, so clients carry on with another instance.
  app.addHook('preClose', async () => {
    draining = true;
    await services.drain();
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `Not found: ${request.method} ${request.url.split('?')[0]}` }),
  );
  const limits = await registerRateLimits(
    app,
    config,
    services.redis,
    services.guard,
    services.limits?.credentials,
  );

  const origins = createOriginPolicy(config);
  registerCors(app, origins);

  // /mcp reads its body as text so that every refusal (type, JSON, size) is a JSON-RPC error.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: config.maxBodyBytes },
      (_req, body, done) => done(null, body),
    );
    if (limits) {
      scope.addHook('onRequest', limits.mcpRequest);
      scope.addHook('onResponse', limits.mcpResponse);
    }
    scope.setErrorHandler((thrown, request, reply) => {
      // An AppError (e.g. the hostile-input check in preValidation) keeps its status;
      // PostgreSQL or Redis away (e.g. the credential read by the rate limit hook) is a 503.
      const error = asDependencyOutage(thrown);
      if (isAppError(error)) {
        const retryAfter = error.details?.retryAfterSeconds;
        if (typeof retryAfter === 'number') reply.header('Retry-After', String(retryAfter));
      }
      if (error !== thrown)
        request.log.warn({ err: thrown }, 'mcp request refused: dependency unavailable');
      const status = isAppError(error)
        ? error.status
        : ((error as { statusCode?: number }).statusCode ?? 500);
      const message =
        status === 413
          ? 'Request body too large'
          : status < 500 || isAppError(error)
            ? (error as Error).message
            : 'Internal server error';
      const code = status === 413 ? JSONRPC.INVALID_REQUEST : JSONRPC.SERVER_ERROR;
      return reply.code(status).send(jsonRpcError(code, message));
    });
    registerMcpController(scope, {
      config,
      guard: services.guard,
      sessions: services.sessions,
      registry: core.registry,
      requests: services.requests,
      origins,
      inspector: services.inspector,
    });
  });

  await app.register(async (scope) => {
    if (limits) scope.addHook('onRequest', limits.tokenRequest);
    registerTokenRoutes(scope, services.tokens);
  });
  registerKeyRoutes(app, { ...core, limitUser: limits?.forUser });
  registerAuditExportRoutes(app, {
    ...core,
    tokenSecret: config.tokenSecret,
    limitUser: limits?.forUser,
  });
  registerWellKnownRoutes(app, config);
  await registerOAuthRoutes(app, {
    config,
    db: services.database.prisma,
    provider: services.authorizationServer,
    registrations: services.clientRegistrations,
    limits,
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      // A batch beyond this is one 400, not N procedure runs.
      maxBatchSize: config.trpcMaxBatchSize,
      createContext: ({ req }) =>
        createTRPCContext({
          authorization: req.headers.authorization,
          limitUser: limits ? (userId) => limits.forUser(req, userId) : undefined,
          limitDiagnose: limits ? (userId) => limits.diagnose(req, userId) : undefined,
          services: core,
        }),
      // A 429 says when to come back.
      responseMeta: ({ errors }) => {
        const details = errors
          .map(
            (e) => (e.cause as { details?: { retryAfterSeconds?: unknown } } | undefined)?.details,
          )
          .find((d) => typeof d?.retryAfterSeconds === 'number');
        return details ? { headers: { 'retry-after': String(details.retryAfterSeconds) } } : {};
      },
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          logger.error({ err: error.cause ?? error, path }, 'tRPC procedure failed');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  registerHealthRoutes(app, {
    config,
    sessionStore: services.store.kind,
    checkDependencies: services.health,
  });

  return app;
}
