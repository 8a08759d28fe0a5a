// The backend's configuration: every environment variable is read and
// validated here and nowhere else. Bad configuration stops the process.
import { hostname } from 'node:os';
import { isLoopbackHost } from '@flowpos/core/loopback';
import { z } from 'zod';

const DEV_TOKEN_SECRET = 'flowpos-dev-only-secret-change-me-in-production';

const hostOfUrl = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
};

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    PUBLIC_BASE_URL: z.url().optional(),
    DATABASE_URL: z.string().optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    REDIS_URL: z.string().optional(),
    REDIS_KEY_PREFIX: z.string().default(''),
    FIREBASE_PROJECT_ID: z.string().min(1).default('demo-flowpos'),
    FIREBASE_AUTH_EMULATOR_HOST: z.string().optional(),
    MCP_TOKEN_SECRET: z
      .string()
      .min(32, 'MCP_TOKEN_SECRET must be at least 32 characters')
      .optional(),
    MCP_TOKEN_SECRET_PREVIOUS: z
      .string()
      .min(32, 'MCP_TOKEN_SECRET_PREVIOUS must be at least 32 characters')
      .optional(),
    MCP_TOKEN_SECRET_PREVIOUS_UNTIL: z.iso
      .datetime({
        offset: true,
        message: 'must be an ISO 8601 date-time, e.g. 2026-12-08T00:00:00Z',
      })
      .optional(),
    MCP_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(86_400 * 30)
      .default(3600),
    MCP_MAX_SESSION_AGE_SECONDS: z.coerce
      .number()
      .int()
      .min(300)
      .default(30 * 86_400),
    ALLOWED_ORIGINS: z.string().optional(),
    CONSOLE_URL: z.url().optional(),
    OAUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
    OAUTH_REFRESH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(300)
      .max(86_400 * 365)
      .default(86_400 * 30),
    OAUTH_REGISTRATIONS_PER_HOUR: z.coerce.number().int().min(1).default(60),
    OAUTH_UNUSED_CLIENT_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(86_400 * 30)
      .default(86_400),
    OAUTH_PENDING_CLIENTS_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
    OAUTH_INTERACTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
    TRUST_PROXY: z
      .string()
      .regex(/^(true|false|\d+|[0-9a-fA-F.:/,\s]+)$/, 'true, false, a hop count or addresses/CIDRs')
      .default('false'),
    RATE_LIMIT_ENABLED: z.enum(['true', 'false']).default('true'),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
    RATE_LIMIT_AUTH_FAILURES: z.coerce.number().int().min(1).default(30),
    RATE_LIMIT_TOKEN: z.coerce.number().int().min(1).default(60),
    RATE_LIMIT_USER: z.coerce.number().int().min(1).default(600),
    RATE_LIMIT_MCP: z.coerce.number().int().min(1).default(12_000),
    CREDENTIAL_LIMITS_ENABLED: z.enum(['true', 'false']).default('true'),
    RATE_LIMIT_DIAGNOSE: z.coerce.number().int().min(1).default(30),
    RATE_LIMIT_OAUTH_AUTHORIZE: z.coerce.number().int().min(1).default(60),
    RATE_LIMIT_OAUTH_TOKEN: z.coerce.number().int().min(1).default(300),
    RATE_LIMIT_OAUTH_METADATA_FETCHES: z.coerce.number().int().min(1).default(20),
    ALLOWED_HOSTS: z.string().optional(),
    MCP_TEST_TOOLS: z.enum(['true', 'false']).default('false'),
    SESSION_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(10).default(86_400),
    SESSION_CACHE_SIZE: z.coerce.number().int().min(1).default(5000),
    // An idle session's SDK server is ~30 KB of heap, its record ~2 KB: only
    // recently used sessions keep a server (a plain tools/call needs none).
    SESSION_SERVER_CACHE_SIZE: z.coerce.number().int().min(1).default(64),
    MCP_MAX_SESSIONS_PER_CREDENTIAL: z.coerce.number().int().min(1).default(100),
    // Each open stream holds a socket (a file descriptor) and a keep-alive timer:
    // 2048 fits the usual 4096+ descriptor limits beside the sessions' GET
    // streams; one credential's (8) or business's (128) share cannot fill it.
    MCP_MAX_LISTEN_STREAMS: z.coerce.number().int().min(1).default(2048),
    MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL: z.coerce.number().int().min(1).default(8),
    MCP_MAX_LISTEN_STREAMS_PER_BUSINESS: z.coerce.number().int().min(1).default(128),
    MCP_LISTEN_RECHECK_SECONDS: z.coerce.number().int().min(1).default(60),
    MCP_MAX_INITIALIZE_BYTES: z.coerce.number().int().min(256).default(4096),
    MCP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
    MCP_FAST_TOOL_CALLS: z.enum(['true', 'false']).default('true'),
    // Session inspector: each session's and sessionless client's last 200
    // requests, kept this long after its last request (off for the bench).
    INSPECTOR_ENABLED: z.enum(['true', 'false']).default('true'),
    INSPECTOR_TTL_SECONDS: z.coerce.number().int().min(10).default(3_600),
    // Approval in the client: a 2026 retry waits this long for the merchant's
    // decision (default 3 s, at most half of MCP_REQUEST_TIMEOUT_MS), at most
    // this many retries (the SDK client gives up after 10); a 2025 call waits
    // this long after sending the link (default: 3/4 of MCP_REQUEST_TIMEOUT_MS,
    // at most 45 s). Both must end before the request times out.
    MCP_APPROVAL_ROUND_WAIT_MS: z.coerce.number().int().min(100).max(30_000).optional(),
    MCP_APPROVAL_ROUNDS: z.coerce.number().int().min(1).max(9).default(8),
    MCP_APPROVAL_SESSION_WAIT_MS: z.coerce.number().int().min(100).optional(),
    TRPC_MAX_BATCH_SIZE: z.coerce.number().int().min(1).default(25),
    MCP_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(65),
    KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).default(30_000),
    INSTANCE_ID: z.string().optional(),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    METRICS_ENABLED: z.enum(['true', 'false']).default('true'),
    METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
    METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    OTEL_TRACES_ENABLED: z.enum(['true', 'false']).default('false'),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().default('http://127.0.0.1:4318'),
    OTEL_SERVICE_NAME: z.string().min(1).default('flowpos-backend'),
    LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
    LOG_REQUESTS: z.enum(['true', 'false']).optional(),
    MIGRATE_ON_START: z.enum(['true', 'false']).default('true'),
    USAGE_ENABLED: z.enum(['true', 'false']).default('true'),
    USAGE_FLUSH_SECONDS: z.coerce.number().min(0.05).max(300).default(5),
    USAGE_HOURLY_RETENTION_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 31)
      .default(48),
    USAGE_DAILY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3660).default(90),
  })
  .superRefine((env, ctx) => {
    for (const key of ['MCP_APPROVAL_ROUND_WAIT_MS', 'MCP_APPROVAL_SESSION_WAIT_MS'] as const) {
      const wait = env[key];
      if (wait !== undefined && wait >= env.MCP_REQUEST_TIMEOUT_MS)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'must be below MCP_REQUEST_TIMEOUT_MS (the call would time out first)',
        });
    }
    if (env.MCP_TOKEN_SECRET_PREVIOUS && !env.MCP_TOKEN_SECRET_PREVIOUS_UNTIL) {
      ctx.addIssue({
        code: 'custom',
        path: ['MCP_TOKEN_SECRET_PREVIOUS_UNTIL'],
        message:
          'is required with MCP_TOKEN_SECRET_PREVIOUS (until when the previous secret is accepted)',
      });
    }
    // Reachable from other machines: no built-in secret, no emulator (it accepts forged tokens).
    const exposed =
      !isLoopbackHost(env.HOST) ||
      (env.PUBLIC_BASE_URL !== undefined && !isLoopbackHost(hostOfUrl(env.PUBLIC_BASE_URL)));
    if (exposed && (!env.MCP_TOKEN_SECRET || env.MCP_TOKEN_SECRET === DEV_TOKEN_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: ['MCP_TOKEN_SECRET'],
        message:
          'must be a secret of your own when HOST or PUBLIC_BASE_URL is not loopback (the built-in development secret lets anyone mint tokens)',
      });
    }
    if (env.FIREBASE_AUTH_EMULATOR_HOST && env.NODE_ENV !== 'production') {
      const emulatorHost = hostOfUrl(`http://${env.FIREBASE_AUTH_EMULATOR_HOST}`);
      if (exposed || !isLoopbackHost(emulatorHost)) {
        ctx.addIssue({
          code: 'custom',
          path: ['FIREBASE_AUTH_EMULATOR_HOST'],
          message:
            'is for development on loopback only (HOST, PUBLIC_BASE_URL and the emulator on 127.0.0.1/localhost): the emulator accepts forged, unsigned ID tokens',
        });
      }
    }
    if (env.NODE_ENV === 'production') {
      if (env.MCP_TOKEN_SECRET === DEV_TOKEN_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['MCP_TOKEN_SECRET'],
          message: 'must not be the built-in development secret in production',
        });
      }
      if (env.FIREBASE_AUTH_EMULATOR_HOST) {
        ctx.addIssue({
          code: 'custom',
          path: ['FIREBASE_AUTH_EMULATOR_HOST'],
          message: 'must not be set in production: the emulator accepts forged, unsigned ID tokens',
        });
      }
      if (!env.MCP_TOKEN_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['MCP_TOKEN_SECRET'],
          message: 'is required in production',
        });
      }
      if (env.MCP_TEST_TOOLS === 'true') {
        ctx.addIssue({
          code: 'custom',
          path: ['MCP_TEST_TOOLS'],
          message: 'must not be set in production: it registers diagnostic tools',
        });
      }
      if (!env.DATABASE_URL || env.DATABASE_URL.startsWith('pglite:')) {
        ctx.addIssue({
          code: 'custom',
          path: ['DATABASE_URL'],
          message: 'must be a PostgreSQL URL in production',
        });
      }
    }
  });

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicBaseUrl: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  firebaseProjectId: string;
  firebaseEmulatorHost: string | undefined;
  tokenSecret: string;
  /** The secret before the last rotation and until when (epoch ms) it still verifies. */
  previousTokenSecret: { secret: string; until: number } | undefined;
  tokenTtlSeconds: number;
  /** Hard age of a token refresh chain from the original sign-in. */
  maxSessionAgeSeconds: number;
  allowedOrigins: string[];
  /** Where people sign in and consent: the console's origin. */
  consoleUrl: string;
  oauth: {
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    /** Dynamic client registrations allowed per client IP and hour. */
    registrationsPerHour: number;
    /** A dynamically registered client that no grant has used by then is deleted. */
    unusedClientTtlSeconds: number;
    /** Registered clients not yet used by a grant, per registering address. */
    pendingClientsPerAddress: number;
    /** Authorization requests per address over an interaction's lifetime (INTERACTION_TTL_SECONDS). */
    interactionsPerAddress: number;
  };
  /** Fastify's trustProxy: which hops' X-Forwarded-For to believe for the client address. */
  trustProxy: boolean | number | string[];
  /** Per window: 401s on /mcp per address, /mcp/token(+refresh) per address, /mcp/keys + tRPC per user, /mcp per credential. */
  rateLimit: {
    enabled: boolean;
    windowMs: number;
    authFailures: number;
    token: number;
    user: number;
    mcp: number;
    /** Per user: diagnoses (tRPC diagnose.run), on top of the user budget: each may look a secret up. */
    diagnose: number;
    /** Per address: /oauth/authorize (and its resume) and the consent routes. */
    oauthAuthorize: number;
    /** Per address: /oauth/token, /oauth/revoke and the provider's other server endpoints. */
    oauthToken: number;
    /** Per address: Client ID Metadata Documents fetched on its requests' behalf. */
    oauthMetadataFetches: number;
  };
  /**
   * Merchants' limits per credential: calls per minute (overriding `rateLimit.mcp`)
   * and daily caps on proposals. Off: every credential gets `rateLimit.mcp`, no caps.
   */
  credentialLimits: boolean;
  /** Host headers accepted besides the public URL's (and loopback names on loopback). */
  allowedHosts: string[];
  /** Registers the conformance suite's diagnostic tools (tests only). */
  testTools: boolean;
  sessionIdleTtlMs: number;
  sessionCacheSize: number;
  /** Idle cached sessions that keep their SDK server (LRU; sessions with a GET stream keep theirs). */
  sessionServerCacheSize: number;
  /** Live MCP sessions one credential may hold. */
  maxSessionsPerCredential: number;
  /** 2026-07-28 `subscriptions/listen` streams held by one instance. */
  listen: {
    /** All credentials together (the SDK refuses beyond). */
    maxStreams: number;
    /** One credential's share. */
    maxPerCredential: number;
    /** One business's share, all its credentials together. */
    maxPerBusiness: number;
    /** How often each open stream is checked against its credential again (ms). */
    recheckMs: number;
  };
  /** Size cap of what a session keeps of initialize (negotiated version, clientInfo, capabilities, as JSON). */
  maxInitializeBytes: number;
  /** How long an MCP request may wait for its answer before it gets a timeout error. */
  requestTimeoutMs: number;
  /** Approval in the client (URL elicitation); the requestState key is derived from tokenSecret. */
  approvals: { roundWaitMs: number; maxRounds: number; sessionWaitMs: number };
  /** Plain 2026 tools/call requests skip the SDK's per-request server (same answers; off: every request goes through the SDK). */
  fastToolCalls: boolean;
  /** Session inspector: off (false) records nothing; ttlMs: how long a log outlives its last request. */
  inspector: { enabled: boolean; ttlMs: number };
  /** Procedures in one tRPC batch request. */
  trpcMaxBatchSize: number;
  maxBodyBytes: number;
  /**
   * How long an idle keep-alive connection stays open. Longer than the usual load
   * balancer idle timeout (60 s), so the backend never closes a connection the
   * balancer is about to reuse (Node's own default is 5 s).
   */
  keepAliveTimeoutMs: number;
  keyCacheTtlMs: number;
  instanceId: string;
  logLevel: string;
  logFormat: 'json' | 'pretty';
  tracing: {
    enabled: boolean;
    /** OTLP/HTTP base URL; traces go to <endpoint>/v1/traces. */
    endpoint: string;
    serviceName: string;
  };
  metrics: {
    enabled: boolean;
    /** Bearer token /metrics requires, when set. */
    token: string | undefined;
    /** A separate listener for /metrics (same host), when set. */
    port: number | undefined;
    /** /metrics on the main port: not in production unless a token protects it. */
    onMainPort: boolean;
  };
  /** One log line per request (method, route, status, duration). */
  logRequests: boolean;
  migrateOnStart: boolean;
  /** Tool call usage per credential and tool (core/usage): counted in memory, written in batches. */
  usage: {
    /** Off: tools/call counts nothing (the bench compares on and off). */
    enabled: boolean;
    flushIntervalMs: number;
    /** How long hour rows and day rows are kept. */
    hourlyRetentionMs: number;
    dailyRetentionMs: number;
  };
}

export class ConfigError extends Error {}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    // One line, whatever the number of problems: it is what an operator sees first.
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.') || 'config'}: ${i.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  const publicBaseUrl = (env.PUBLIC_BASE_URL ?? `http://${env.HOST}:${env.PORT}`).replace(
    /\/$/,
    '',
  );
  const defaultOrigins = ['http://127.0.0.1:3000', 'http://localhost:3000', publicBaseUrl];
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicBaseUrl,
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    redisUrl: env.REDIS_URL || undefined,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    firebaseProjectId: env.FIREBASE_PROJECT_ID,
    firebaseEmulatorHost: env.FIREBASE_AUTH_EMULATOR_HOST || undefined,
    tokenSecret: env.MCP_TOKEN_SECRET ?? DEV_TOKEN_SECRET,
    previousTokenSecret:
      env.MCP_TOKEN_SECRET_PREVIOUS && env.MCP_TOKEN_SECRET_PREVIOUS_UNTIL
        ? {
            secret: env.MCP_TOKEN_SECRET_PREVIOUS,
            until: Date.parse(env.MCP_TOKEN_SECRET_PREVIOUS_UNTIL),
          }
        : undefined,
    tokenTtlSeconds: env.MCP_TOKEN_TTL_SECONDS,
    maxSessionAgeSeconds: env.MCP_MAX_SESSION_AGE_SECONDS,
    allowedOrigins: env.ALLOWED_ORIGINS
      ? env.ALLOWED_ORIGINS.split(',')
          .map((o) => o.trim())
          .filter(Boolean)
      : defaultOrigins,
    consoleUrl: (env.CONSOLE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, ''),
    oauth: {
      accessTokenTtlSeconds: env.OAUTH_ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.OAUTH_REFRESH_TOKEN_TTL_SECONDS,
      registrationsPerHour: env.OAUTH_REGISTRATIONS_PER_HOUR,
      unusedClientTtlSeconds: env.OAUTH_UNUSED_CLIENT_TTL_SECONDS,
      pendingClientsPerAddress: env.OAUTH_PENDING_CLIENTS_PER_ADDRESS,
      interactionsPerAddress: env.OAUTH_INTERACTIONS_PER_ADDRESS,
    },
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    rateLimit: {
      enabled: env.RATE_LIMIT_ENABLED === 'true',
      windowMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000,
      authFailures: env.RATE_LIMIT_AUTH_FAILURES,
      token: env.RATE_LIMIT_TOKEN,
      user: env.RATE_LIMIT_USER,
      mcp: env.RATE_LIMIT_MCP,
      diagnose: env.RATE_LIMIT_DIAGNOSE,
      oauthAuthorize: env.RATE_LIMIT_OAUTH_AUTHORIZE,
      oauthToken: env.RATE_LIMIT_OAUTH_TOKEN,
      oauthMetadataFetches: env.RATE_LIMIT_OAUTH_METADATA_FETCHES,
    },
    credentialLimits: env.CREDENTIAL_LIMITS_ENABLED === 'true',
    allowedHosts: (env.ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    testTools: env.MCP_TEST_TOOLS === 'true',
    sessionIdleTtlMs: env.SESSION_IDLE_TIMEOUT_SECONDS * 1000,
    sessionCacheSize: env.SESSION_CACHE_SIZE,
    sessionServerCacheSize: env.SESSION_SERVER_CACHE_SIZE,
    maxSessionsPerCredential: env.MCP_MAX_SESSIONS_PER_CREDENTIAL,
    listen: {
      maxStreams: env.MCP_MAX_LISTEN_STREAMS,
      maxPerCredential: env.MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL,
      maxPerBusiness: env.MCP_MAX_LISTEN_STREAMS_PER_BUSINESS,
      recheckMs: env.MCP_LISTEN_RECHECK_SECONDS * 1000,
    },
    maxInitializeBytes: env.MCP_MAX_INITIALIZE_BYTES,
    requestTimeoutMs: env.MCP_REQUEST_TIMEOUT_MS,
    fastToolCalls: env.MCP_FAST_TOOL_CALLS === 'true',
    inspector: {
      enabled: env.INSPECTOR_ENABLED === 'true',
      ttlMs: env.INSPECTOR_TTL_SECONDS * 1000,
    },
    approvals: {
      roundWaitMs:
        env.MCP_APPROVAL_ROUND_WAIT_MS ??
        Math.min(3_000, Math.floor(env.MCP_REQUEST_TIMEOUT_MS / 2)),
      maxRounds: env.MCP_APPROVAL_ROUNDS,
      sessionWaitMs:
        env.MCP_APPROVAL_SESSION_WAIT_MS ??
        Math.min(45_000, Math.floor((env.MCP_REQUEST_TIMEOUT_MS * 3) / 4)),
    },
    trpcMaxBatchSize: env.TRPC_MAX_BATCH_SIZE,
    maxBodyBytes: env.MCP_MAX_BODY_BYTES,
    keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
    keyCacheTtlMs: env.KEY_CACHE_TTL_MS,
    instanceId: env.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    tracing: {
      enabled: env.OTEL_TRACES_ENABLED === 'true',
      endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, ''),
      serviceName: env.OTEL_SERVICE_NAME,
    },
    metrics: {
      enabled: env.METRICS_ENABLED === 'true',
      token: env.METRICS_TOKEN,
      port: env.METRICS_PORT,
      onMainPort:
        env.METRICS_ENABLED === 'true' &&
        (env.NODE_ENV !== 'production' || env.METRICS_TOKEN !== undefined),
    },
    logRequests: (env.LOG_REQUESTS ?? String(env.NODE_ENV === 'production')) === 'true',
    migrateOnStart: env.MIGRATE_ON_START === 'true',
    usage: {
      enabled: env.USAGE_ENABLED === 'true',
      flushIntervalMs: Math.round(env.USAGE_FLUSH_SECONDS * 1000),
      hourlyRetentionMs: env.USAGE_HOURLY_RETENTION_HOURS * 3_600_000,
      dailyRetentionMs: env.USAGE_DAILY_RETENTION_DAYS * 86_400_000,
    },
  };
}

function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Listening on loopback and published on loopback: nothing but this machine can reach the backend. */
export const isLocalOnly = (config: Pick<Config, 'host' | 'publicBaseUrl'>) =>
  isLoopbackHost(config.host) && isLoopbackHost(hostOfUrl(config.publicBaseUrl));

export const MCP_PATH = '/mcp';
export const mcpUrl = (config: Pick<Config, 'publicBaseUrl'>) =>
  `${config.publicBaseUrl}${MCP_PATH}`;
