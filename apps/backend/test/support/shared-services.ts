// Core services over a backend's PostgreSQL database and Redis key prefix,
// built in the test process: what the console (tRPC) would use to revoke a
// key, change its scopes or list sessions while backend instances serve MCP.
import {
  createAuditLog,
  createRedisEventBus,
  createRedisSessionStore,
  loadActorByUserId,
  SessionDirectory,
  type Actor,
  type AuditLog,
  type EventBus,
  type KeyServiceDeps,
  type SessionStore,
} from '@flowpos/core';
import type { Db } from '@flowpos/db';
import { Redis } from 'ioredis';
import { REDIS_URL } from './server.ts';

export interface SharedServices {
  redis: Redis;
  store: SessionStore;
  events: EventBus;
  audit: AuditLog;
  directory: SessionDirectory;
  keys: KeyServiceDeps;
  actor(userId: string): Promise<Actor>;
  close(): Promise<void>;
}

export async function connectSharedServices(
  db: Db,
  prefix: string,
  redisUrl = REDIS_URL,
): Promise<SharedServices> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await Promise.all([redis.connect(), subscriber.connect()]);
  const store = createRedisSessionStore(redis, { prefix, idleTtlMs: 86_400_000 });
  const events = createRedisEventBus(redis, subscriber, prefix);
  const audit = createAuditLog(db);
  const directory = new SessionDirectory(store, events);
  return {
    redis,
    store,
    events,
    audit,
    directory,
    keys: { db, audit, events, sessions: directory },
    actor: (userId) => loadActorByUserId(db, userId),
    async close() {
      await audit.close();
      await events.close();
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}

/** A user that exists only in the database (for core calls that take an Actor). */
export async function createDbUser(
  db: Db,
  options: {
    email: string;
    operator?: boolean;
    memberships?: { businessId: string; role: 'merchant' | 'tenant_developer' }[];
  },
) {
  return db.user.create({
    data: {
      email: options.email,
      firebaseUid: `db-only-${options.email}`,
      isPlatformOperator: options.operator ?? false,
      memberships: {
        create: (options.memberships ?? []).map((m) => ({
          businessId: m.businessId,
          role: m.role,
          isActive: true,
        })),
      },
    },
  });
}
