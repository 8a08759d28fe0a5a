// The composition root: configuration in, every long-lived service out.
// Transports (MCP controller, REST routes, tRPC) receive what they need from here.
import {
  ApiKeyVerifier,
  approvalStateKey,
  createApprovalStateCodec,
  createAuditLog,
  createUsageRecorder,
  startUsageSweeper,
  createFirebaseAccounts,
  createFirebaseVerifier,
  createMemoryEventBus,
  createDatabaseSessionStore,
  createRedisEventBus,
  createRedisSessionStore,
  createMemoryCapCounters,
  createRedisCapCounters,
  CredentialLimits,
  IntentCaps,
  createMemoryRequestLogStore,
  createRedisRequestLogStore,
  RequestLogRecorder,
  type RequestLogStore,
  McpTokenSigner,
  POS_TOOLS,
  IntentDecisionWaiter,
  SessionDirectory,
  ToolRegistry,
  VIEW_NAMES,
  type AuditLog,
  type EventBus,
  type FirebaseAccounts,
  type IdTokenVerifier,
  type SessionStore,
  type UsageRecorder,
  intentConsoleUrl,
} from '@flowpos/core';
import { createDatabase, type Database, type Db } from '@flowpos/db';
import { readBuiltViews } from '@flowpos/views';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { Redis } from 'ioredis';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { mcpUrl, type Config } from './config.ts';
import { dependencyHealth } from './observability/dependency-health.ts';
import { Metrics } from './observability/metrics.ts';
import { withRequestId } from './observability/audit-request-id.ts';
import { observeToolCalls, type ToolCallListener } from './observability/tool-calls.ts';
import { recordToolSpan } from './observability/tool-spans.ts';
import {
  createMemoryEventStores,
  createRedisEventStores,
  type EventStores,
} from './mcp/application/event-stores.ts';
import { McpRequestService } from './mcp/application/mcp-request.service.ts';
import type { McpServerDeps } from './mcp/application/mcp-server-deps.ts';
import { McpSessionService } from './mcp/application/mcp-session.service.ts';
import { McpTokenService } from './mcp/application/mcp-token.service.ts';
import { UserPrincipals } from './mcp/application/user-principals.ts';
import { McpApiKeyGuard } from './mcp/interfaces/guards/mcp-api-key.guard.ts';
import type { McpAuthGuard } from './mcp/interfaces/guards/mcp-auth.guard.ts';
import { McpOAuthGuard } from './mcp/interfaces/guards/mcp-oauth.guard.ts';
import { OncePerRequestGuard } from './http/once-per-request-guard.ts';
import { requestContext } from './observability/request-context.ts';
import { McpTokenGuard } from './mcp/interfaces/guards/mcp-token.guard.ts';
import { createAuthorizationServer } from './oauth/authorization-server.ts';
import { startOAuthRecordSweeper } from './oauth/oauth-record-sweeper.ts';
import { reportTokenRefusals } from './oauth/token-refusals.ts';
import {
  boundRegistrations,
  createClientRegistrations,
  type ClientRegistrations,
} from './oauth/client-registrations.ts';

export interface Services {
  config: Config;
  database: Database;
  redis: Redis | undefined;
  store: SessionStore;
  events: EventBus;
  audit: AuditLog;
  /** Tool call usage, counted in memory and written in batches; absent when USAGE_ENABLED=false. */
  usage: UsageRecorder | undefined;
  firebase: IdTokenVerifier;
  accounts: FirebaseAccounts;
  registry: ToolRegistry;
  directory: SessionDirectory;
  /** The session inspector's logs and queue; absent when INSPECTOR_ENABLED=false. */
  requestLog: RequestLogStore | undefined;
  inspector: RequestLogRecorder | undefined;
  keyVerifier: ApiKeyVerifier;
  userPrincipals: UserPrincipals;
  signer: McpTokenSigner;
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
  close(): Promise<void>;
}

export interface ServiceOverrides {
  /** Tests may verify Firebase tokens differently; production never overrides. */
  firebase?: IdTokenVerifier;
}

function redisClient(url: string, logger: Logger): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    // Fail fast while Redis is down instead of queueing: callers answer 503.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // Commands issued in one turn of the event loop (the two throttling
    // counters of a request, and those of every request read in the same
    // turn) leave in one write: a syscall per command cost more than the
    // commands themselves under load.
    enableAutoPipelining: true,
  });
  let warned = false;
  client.on('error', (err) => {
    if (!warned) logger.warn({ err: err.message }, 'redis connection error');
    warned = true;
  });
  client.on('ready', () => {
    if (warned) logger.info('redis connection restored');
    warned = false;
  });
  return client;
}

/**
 * How long a 2026 approval requestState stays valid: the first one waits for
 * the person to open the link, each later one for one retry.
 */
const APPROVAL_STATE_TTL_S = 600;

/** Limits per credential, read from memory; daily caps counted in Redis when there is one. */
function credentialLimits(db: Db, events: EventBus, redis: Redis | undefined, config: Config) {
  const credentials = new CredentialLimits(db, events);
  const counters = redis
    ? createRedisCapCounters(redis, config.redisKeyPrefix)
    : createMemoryCapCounters();
  return { credentials, caps: new IntentCaps(counters, credentials) };
}

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

  let redis: Redis | undefined;
  let subscriber: Redis | undefined;
  let store: SessionStore;
  let events: EventBus;
  let eventStores: EventStores;
  if (config.redisUrl) {
    redis = redisClient(config.redisUrl, logger);
    subscriber = redisClient(config.redisUrl, logger);
    await Promise.all([redis.connect(), subscriber.connect()]);
    store = createRedisSessionStore(redis, {
      prefix: config.redisKeyPrefix,
      idleTtlMs: config.sessionIdleTtlMs,
    });
    events = createRedisEventBus(redis, subscriber, config.redisKeyPrefix);
    eventStores = createRedisEventStores(redis, config.redisKeyPrefix, config.sessionIdleTtlMs);
  } else {
    // Without Redis, sessions live in the database: a restart does not end them.
    store = createDatabaseSessionStore(db, config.sessionIdleTtlMs);
    events = createMemoryEventBus();
    eventStores = createMemoryEventStores();
  }

  // The sources are read at scrape time, when `sessions` exists.
  const metrics: Metrics | undefined = config.metrics.enabled
    ? new Metrics({
        dependencies: dependencyHealth({ database, redis }),
        liveSessions: (): number => sessions.cachedCount,
        pendingRequests: () => ({
          '2025': sessions.pendingRequests,
          '2026': requests.inFlight,
        }),
      })
    : undefined;
  const toolCallListeners: ToolCallListener[] = [];
  if (metrics) toolCallListeners.push((c) => metrics.toolCall(c.tool, c.outcome, c.seconds));
  if (config.tracing.enabled) toolCallListeners.push(recordToolSpan);
  const audit = createAuditLog(db, {
    onError: (err) => logger.error({ err }, 'audit write failed: kept for retry'),
    onDropped: (count) => {
      logger.error({ dropped: count }, 'audit events dropped: retry buffer full');
      metrics?.auditDropped(count);
    },
    onRejected: (entry, err) => {
      logger.error({ err, ...entry }, 'audit event refused by PostgreSQL: set aside');
      metrics?.auditRejected();
    },
  });
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
  const firebase = overrides.firebase ?? createFirebaseVerifier(config.firebaseProjectId);
  const accounts = createFirebaseAccounts(config.firebaseProjectId);
  const registry = new ToolRegistry(POS_TOOLS);
  const directory = new SessionDirectory(store, events, {
    audit,
    deferredEndings: {
      onError: (err, credential) =>
        logger.warn(
          { err, credential },
          'session store unavailable: the sessions of a refused credential end when it is back',
        ),
    },
  });
  const { inspector: inspecting } = config;
  const requestLog = !inspecting.enabled
    ? undefined
    : redis
      ? createRedisRequestLogStore(redis, {
          prefix: config.redisKeyPrefix,
          ttlMs: inspecting.ttlMs,
        })
      : createMemoryRequestLogStore({ ttlMs: inspecting.ttlMs });
  const inspector =
    requestLog &&
    new RequestLogRecorder({
      store: requestLog,
      instanceId: config.instanceId,
      safeArguments: (tool) => registry.get(tool)?.inspectableArguments,
      onError: (err) => logger.warn({ err }, 'session inspector write failed: batch dropped'),
    });
  const keyVerifier = new ApiKeyVerifier(db, events, {
    cacheTtlMs: config.keyCacheTtlMs,
    onCacheLookup: metrics && ((hit) => metrics.keyCacheLookup(hit)),
  });
  const userPrincipals = new UserPrincipals(db, events);
  const signer = new McpTokenSigner({
    secret: config.tokenSecret,
    previousSecret: config.previousTokenSecret?.secret,
    previousSecretUntil: config.previousTokenSecret?.until,
    ttlSeconds: config.tokenTtlSeconds,
    issuer: config.publicBaseUrl,
    audience: mcpUrl(config),
  });
  const tokens = new McpTokenService({
    db,
    firebase,
    accounts,
    signer,
    audit,
    maxSessionAgeSeconds: config.maxSessionAgeSeconds,
  });
  const authorizationServer = createAuthorizationServer({ config, db, audit, directory });
  reportTokenRefusals(authorizationServer, { db, audit, logger });
  const stopOAuthSweeper = startOAuthRecordSweeper(db);
  const clientRegistrations = createClientRegistrations(db, config);
  boundRegistrations(authorizationServer, clientRegistrations);
  const endSessionsOf = (credential: string) =>
    directory.endForCredentialWithoutBusiness(credential);
  // Run once per request: the rate limiter and the controller share its answer.
  const guard = new OncePerRequestGuard(
    new McpApiKeyGuard(keyVerifier),
    new McpTokenGuard(signer, userPrincipals, endSessionsOf),
    new McpOAuthGuard(authorizationServer, db, mcpUrl(config), endSessionsOf),
    metrics && ((reason) => metrics.authFailure(reason)),
  );
  const decisions = new IntentDecisionWaiter(db, events);
  const limits = config.credentialLimits ? credentialLimits(db, events, redis, config) : undefined;
  const serverDeps: McpServerDeps = {
    db,
    sql: database.sql,
    store,
    directory,
    events,
    registry,
    validator: new AjvJsonSchemaValidator(),
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
    caps: limits?.caps,
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

  return {
    config,
    database,
    redis,
    store,
    events,
    audit,
    usage,
    firebase,
    accounts,
    registry,
    directory,
    requestLog,
    inspector,
    keyVerifier,
    userPrincipals,
    signer,
    tokens,
    guard,
    authorizationServer,
    clientRegistrations,
    sessions,
    requests,
    eventStores,
    metrics,
    limits,
    async close() {
      stopOAuthSweeper();
      directory.close();
      await sessions.shutdown();
      await requests.shutdown();
      await inspector?.close();
      decisions.close();
      keyVerifier.close();
      limits?.credentials.close();
      userPrincipals.close();
      await audit.close();
      // After the sessions and requests: their last calls are counted too.
      stopUsageSweeper?.();
      await usage?.close();
      await events.close();
      subscriber?.disconnect();
      redis?.disconnect();
      await database.close();
    },
  };
}
