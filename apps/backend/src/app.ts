// The HTTP server: one Fastify instance carrying /mcp, the token and key
// routes, OAuth discovery, /trpc and /healthz.
import { appRouter, createTRPCContext, type AppRouter } from '@flowpos/api';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { httpErrorHandler } from './http/errors.ts';
import { registerKeyRoutes } from './http/keys.routes.ts';
import { registerTokenRoutes } from './http/token.routes.ts';
import { registerWellKnownRoutes } from './http/well-known.routes.ts';
import { registerMcpController } from './mcp/interfaces/mcp.controller.ts';
import type { Services } from './services.ts';

export async function buildApp(services: Services, logger: Logger): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.maxBodyBytes,
    routerOptions: { maxParamLength: 200 },
  });
  app.setErrorHandler(httpErrorHandler);
  // Open GET /mcp streams would hold app.close() open: end them first. Their
  // records stay in the store, so clients carry on with another instance.
  app.addHook('preClose', async () => {
    await services.sessions.shutdown();
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `Not found: ${request.method} ${request.url.split('?')[0]}` }),
  );

  // /mcp reads its body as text so that every refusal (type, JSON, size) is a JSON-RPC error.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: config.maxBodyBytes },
      (_req, body, done) => done(null, body),
    );
    scope.setErrorHandler((error, _request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      const message =
        status === 413
          ? 'Request body too large'
          : status < 500
            ? (error as Error).message
            : 'Internal server error';
      return reply.code(status).send({
        jsonrpc: '2.0',
        error: { code: status === 413 ? -32600 : -32000, message },
        id: null,
      });
    });
    registerMcpController(scope, { config, guard: services.guard, sessions: services.sessions });
  });

  registerTokenRoutes(app, services.tokens);
  registerKeyRoutes(app, {
    db: services.database.prisma,
    audit: services.audit,
    events: services.events,
    sessions: services.directory,
    verifier: services.firebase,
  });
  registerWellKnownRoutes(app, config);

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: ({ req }) =>
        createTRPCContext({
          authorization: req.headers.authorization,
          services: {
            db: services.database.prisma,
            audit: services.audit,
            events: services.events,
            sessions: services.directory,
            registry: services.registry,
            verifier: services.firebase,
          },
        }),
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          logger.error({ err: error.cause ?? error, path }, 'tRPC procedure failed');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  app.get('/healthz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    try {
      await services.database.prisma.$queryRaw`SELECT 1`;
      checks.database = 'ok';
    } catch {
      checks.database = 'down';
    }
    if (services.redis) {
      checks.redis = services.redis.status === 'ready' ? 'ok' : 'down';
    }
    const ok = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'degraded',
      instanceId: config.instanceId,
      sessionStore: services.store.kind,
      ...checks,
    });
  });

  return app;
}
