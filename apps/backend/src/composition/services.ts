// The composition root: configuration in, every long-lived service out. The
// parts every transport shares are built once (core-services.ts) and passed
// on unchanged; the MCP endpoint's own (guards, sessions, requests) and the
// OAuth authorization server are built here on top of them. Dependency
// health and shutdown are built once, here, for everyone who needs them.
import {
  ApiKeyVerifier,
  approvalStateKey,
  createApprovalStateCodec,
  createUsageRecorder,
  intentConsoleUrl,
  IntentDecisionWaiter,
  RequestLogRecorder,
  startUsageSweeper,
  VIEW_NAMES,
  type CredentialLimits,
  type IntentCaps,
  type SessionStore,
  type UsageRecorder,
} from '@flowpos/core';
import { createDatabase, type Database } from '@flowpos/db';
import { readBuiltViews } from '@flowpos/views';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import type { Redis } from 'ioredis';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { dependencyHealth, type DependencyHealth } from '../observability/dependency-health.ts';
import { Metrics } from '../observability/metrics.ts';
import { withRequestId } from '../observability/audit-request-id.ts';
import { observeToolCalls, type ToolCallListener } from '../observability/tool-calls.ts';
import { recordToolSpan } from '../observability/tool-spans.ts';
import type { EventStores } from '../mcp/sessions/event-stores.ts';
import { McpRequestService } from '../mcp/stateless/mcp-request.service.ts';
import type { McpServerDeps } from '../mcp/shared/mcp-server-deps.ts';
import { McpSessionService } from '../mcp/application/mcp-session.service.ts';
import { McpTokenService } from '../mcp/application/mcp-token.service.ts';
import type { McpAuthGuard } from '../mcp/interfaces/guards/mcp-auth.guard.ts';
import { requestContext } from '../observability/request-context.ts';
import type { ClientRegistrations } from '../oauth/client-registrations.ts';
import { createCoreServices, type CoreOverrides, type CoreServices } from './core-services.ts';
import { createMcpGuard } from './mcp-guard.ts';
import { createOAuth } from './oauth.ts';
import { createStores } from './stores.ts';

export interface Services {
  config: Config;
  database: Database;
  redis: Redis | undefined;
  store: SessionStore;
  /** What tRPC, the key and audit routes and the MCP servers share: passed on unchanged. */
  core: CoreServices;
  /** Tool call usage, counted in memory and written in batches; absent when USAGE_ENABLED=false. */
  usage: UsageRecorder | undefined;
  /** The session inspector's queue; absent when INSPECTOR_ENABLED=false. */
  inspector: RequestLogRecorder | undefined;
  tokens: McpTokenService;
  guard: McpAuthGuard;
  /** The OAuth authorization server (oidc-provider), mounted under /oauth. */
  authorizationServer: Provider;
  clientRegistrations: ClientRegistrations;
  sessions: McpSessionService;
  /** 2026-07-28 requests (sessionless). */
  requests: McpRequestService;
  eventStores: EventStores;
  /** Absent when METRICS_ENABLED=false. */
  metrics: Metrics | undefined;
  /** Merchants' per-credential limits; absent when CREDENTIAL_LIMITS_ENABLED=false. */
  limits: { credentials: CredentialLimits; caps: IntentCaps } | undefined;
  /** PostgreSQL and Redis answer now? For /readyz, /healthz and the metrics. */
  health: () => Promise<DependencyHealth>;
  /** Ends the MCP traffic (open streams would hold the HTTP server's close open). */
  drain(): Promise<void>;
  /** Drains, then stops and closes everything, dependencies last. */
  close(): Promise<void>;
}

export type ServiceOverrides = CoreOverrides;

/**
 * How long a 2026 approval requestState stays valid: the first one waits for
 * the person to open the link, each later one for one retry.
 */
const APPROVAL_STATE_TTL_S = 600;

export async function createServices(
  config: Config,
  logger: Logger,
  overrides: ServiceOverrides = {},
): Promise<Services> {
  const database = createDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
  if (config.migrateOnStart) {
    const applied = await database.migrate();
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  const db = database.prisma;
  const stores = await createStores(config, db, logger);
  const { redis, store, events, eventStores } = stores;
  const health = dependencyHealth({ database, redis });

  // The sources are read at scrape time, when `sessions` exists.
  const metrics: Metrics | undefined = config.metrics.enabled
    ? new Metrics({
        dependencies: health,
        liveSessions: (): number => sessions.cachedCount,
        pendingRequests: () => ({
          '2025': sessions.pendingRequests,
          '2026': requests.inFlight,
        }),
      })
    : undefined;
  const core = createCoreServices(config, database, stores, logger, metrics, overrides);
  const { audit, registry } = core;
  const toolCallListeners: ToolCallListener[] = [];
  if (metrics) toolCallListeners.push((c) => metrics.toolCall(c.tool, c.outcome, c.seconds));
  if (config.tracing.enabled) toolCallListeners.push(recordToolSpan);
  const usage = config.usage.enabled
    ? createUsageRecorder(db, {
        flushIntervalMs: config.usage.flushIntervalMs,
        onError: (err) => logger.error({ err }, 'usage write failed: kept for retry'),
        onDropped: (count) => logger.error({ dropped: count }, 'usage rows dropped'),
        onRejected: (row, err) =>
          logger.error({ err, ...row }, 'usage row refused by PostgreSQL: set aside'),
      })
    : undefined;
  const stopUsageSweeper = config.usage.enabled
    ? startUsageSweeper(
        db,
        { hourlyMs: config.usage.hourlyRetentionMs, dailyMs: config.usage.dailyRetentionMs },
        { onError: (err) => logger.warn({ err }, 'usage sweep failed') },
      )
    : undefined;
  const inspector =
    core.requestLog &&
    new RequestLogRecorder({
      store: core.requestLog,
      instanceId: config.instanceId,
      safeArguments: (tool) => registry.get(tool)?.inspectableArguments,
      onError: (err) => logger.warn({ err }, 'session inspector write failed: batch dropped'),
    });
  const keyVerifier = new ApiKeyVerifier(db, events, {
    cacheTtlMs: config.keyCacheTtlMs,
    onCacheLookup: metrics && ((hit) => metrics.keyCacheLookup(hit)),
  });
  const tokens = new McpTokenService({
    ...core,
    refreshMaxAgeSeconds: config.tokenRefreshMaxAgeSeconds,
  });
  const oauth = createOAuth(config, core, logger);
  const mcpGuard = createMcpGuard(config, core, {
    keyVerifier,
    oauth: oauth.provider,
    metrics,
  });
  const { guard } = mcpGuard;
  const decisions = new IntentDecisionWaiter(db, events);
  const serverDeps: McpServerDeps = {
    ...core,
    sql: database.sql,
    store,
    validator: new AjvJsonSchemaValidator(),
    // The tool calls' audit: each event carries its request id and is observed (metrics, spans).
    audit: observeToolCalls(withRequestId(audit), toolCallListeners),
    usage: usage?.record,
    logger,
    diagnostics: config.testTools,
    approvals: {
      // One key for the fleet, from the secret every instance already shares.
      codec: createApprovalStateCodec(approvalStateKey(config.tokenSecret), APPROVAL_STATE_TTL_S),
      decisions,
      intentUrl: (businessId, intentId) =>
        intentConsoleUrl(config.consoleUrl, businessId, intentId),
      ...config.approvals,
    },
    consoleUrl: config.consoleUrl,
    // Read once: every server serves the same HTML.
    views: readBuiltViews(VIEW_NAMES),
    inspector,
  };
  const sessions = new McpSessionService({
    ...serverDeps,
    eventStores,
    instanceId: config.instanceId,
    cacheSize: config.sessionCacheSize,
    serverCacheSize: config.sessionServerCacheSize,
    maxSessionsPerCredential: config.maxSessionsPerCredential,
    requestTimeoutMs: config.requestTimeoutMs,
    fastToolCalls: config.fastToolCalls,
    onRebuild: metrics && (() => metrics.sessionRebuilt()),
  });
  const requests = new McpRequestService({
    ...serverDeps,
    maxBodyBytes: config.maxBodyBytes,
    instanceId: config.instanceId,
    requestTimeoutMs: config.requestTimeoutMs,
    fastToolCalls: config.fastToolCalls,
    listen: config.listen,
    // Outside any request's context: a check is not that request's guard answer.
    authenticate: (authorization) => requestContext.exit(() => guard.authenticate(authorization)),
  });

  let draining: Promise<void> | undefined;
  const drain = () =>
    (draining ??= (async () => {
      await sessions.shutdown();
      await requests.shutdown();
    })());
  const { credentialLimits, caps } = core;
  return {
    config,
    database,
    redis,
    store,
    core,
    usage,
    inspector,
    tokens,
    guard,
    authorizationServer: oauth.provider,
    clientRegistrations: oauth.registrations,
    sessions,
    requests,
    eventStores,
    metrics,
    limits: credentialLimits && caps && { credentials: credentialLimits, caps },
    health,
    drain,
    async close() {
      oauth.stop();
      core.sessions.close();
      await drain();
      await inspector?.close();
      decisions.close();
      keyVerifier.close();
      credentialLimits?.close();
      mcpGuard.close();
      await audit.close();
      // After the sessions and requests: their last calls are counted too.
      stopUsageSweeper?.();
      await usage?.close();
      await events.close();
      stores.subscriber?.disconnect();
      redis?.disconnect();
      await database.close();
    },
  };
}
