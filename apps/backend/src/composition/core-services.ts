// The parts every transport uses (tRPC through @flowpos/api, the key and
// audit routes, the MCP servers), built once and passed on unchanged under
// the names @flowpos/api's ApiServices gives them: `sessions` is core's
// SessionDirectory (every session of every era), `verifier` checks Firebase
// ID tokens, `tokenSigner` signs and verifies MCP access tokens.
import type { ApiServices } from '@flowpos/api';
import {
  createAuditLog,
  createFirebaseAccounts,
  createFirebaseVerifier,
  createMemoryCapCounters,
  createMemoryRequestLogStore,
  createMemorySpentTickets,
  createRedisCapCounters,
  createRedisRequestLogStore,
  createRedisSpentTickets,
  CredentialLimits,
  IntentCaps,
  type McpTokenSigner,
  POS_TOOLS,
  SessionDirectory,
  ToolRegistry,
  type FirebaseAccounts,
  type IdTokenVerifier,
  type RequestLogStore,
  type SpentTickets,
} from '@flowpos/core';
import type { Database } from '@flowpos/db';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { tokenSignerFor } from '../tokens/token-signer.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Stores } from './stores.ts';

export interface CoreServices extends ApiServices {
  /** The session inspector's logs; absent when INSPECTOR_ENABLED=false. */
  requestLog: RequestLogStore | undefined;
  accounts: FirebaseAccounts;
  tokenSigner: McpTokenSigner;
  /** Merchants' per-credential limits (caps beside them); absent when CREDENTIAL_LIMITS_ENABLED=false. */
  credentialLimits: CredentialLimits | undefined;
  caps: IntentCaps | undefined;
  /** One-time download tickets marked used (the audit export). */
  spentTickets: SpentTickets;
}

export interface CoreOverrides {
  /** Tests may verify Firebase tokens differently; production never overrides. */
  firebase?: IdTokenVerifier;
}

function auditLog(database: Database, logger: Logger, metrics: Metrics | undefined) {
  // The raw client: the INSERT is a prepared statement (audit.ts).
  return createAuditLog(database.prisma, {
    sql: database.sql,
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
}

export function createCoreServices(
  config: Config,
  database: Database,
  { redis, events, store }: Stores,
  logger: Logger,
  metrics: Metrics | undefined,
  overrides: CoreOverrides = {},
): CoreServices {
  const db = database.prisma;
  const audit = auditLog(database, logger, metrics);
  const sessions = new SessionDirectory(store, events, {
    audit,
    deferredEndings: {
      onError: (err, credential) =>
        logger.warn(
          { err, credential },
          'session store unavailable: the sessions of a refused credential end when it is back',
        ),
    },
  });
  const { inspector } = config;
  const requestLog = !inspector.enabled
    ? undefined
    : redis
      ? createRedisRequestLogStore(redis, { prefix: config.redisKeyPrefix, ttlMs: inspector.ttlMs })
      : createMemoryRequestLogStore({ ttlMs: inspector.ttlMs });
  const credentialLimits = config.credentialLimits ? new CredentialLimits(db, events) : undefined;
  // Daily caps counted in Redis when there is one, so every instance counts the same.
  const caps =
    credentialLimits &&
    new IntentCaps(
      redis ? createRedisCapCounters(redis, config.redisKeyPrefix) : createMemoryCapCounters(),
      credentialLimits,
    );
  return {
    db,
    audit,
    events,
    sessions,
    registry: new ToolRegistry(POS_TOOLS),
    requestLog,
    verifier: overrides.firebase ?? createFirebaseVerifier(config.firebaseProjectId),
    accounts: createFirebaseAccounts(config.firebaseProjectId),
    tokenSigner: tokenSignerFor(config),
    issuer: config.publicBaseUrl,
    credentialLimits,
    caps,
    spentTickets: redis
      ? createRedisSpentTickets(redis, config.redisKeyPrefix)
      : createMemorySpentTickets(),
  };
}
