// Where shared state lives: with REDIS_URL, sessions, events and the 2025
// event stores in Redis (every instance sees them); without, the embedded
// default, which keeps sessions in the database (a restart does not end them)
// and events and event stores in this process.
import {
  createDatabaseSessionStore,
  createMemoryEventBus,
  createRedisEventBus,
  createRedisSessionStore,
  type EventBus,
  type SessionStore,
} from '@flowpos/core';
import type { Db } from '@flowpos/db';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import {
  createMemoryEventStores,
  createRedisEventStores,
  type EventStores,
} from '../mcp/sessions/event-stores.ts';

export interface Stores {
  redis: Redis | undefined;
  /** Redis's subscriber connection (events), when there is Redis. */
  subscriber: Redis | undefined;
  store: SessionStore;
  events: EventBus;
  eventStores: EventStores;
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

export async function createStores(config: Config, db: Db, logger: Logger): Promise<Stores> {
  if (!config.redisUrl) {
    return {
      redis: undefined,
      subscriber: undefined,
      store: createDatabaseSessionStore(db, config.sessionIdleTtlMs),
      events: createMemoryEventBus(),
      eventStores: createMemoryEventStores(),
    };
  }
  const redis = redisClient(config.redisUrl, logger);
  const subscriber = redisClient(config.redisUrl, logger);
  await Promise.all([redis.connect(), subscriber.connect()]);
  const prefix = config.redisKeyPrefix;
  return {
    redis,
    subscriber,
    store: createRedisSessionStore(redis, { prefix, idleTtlMs: config.sessionIdleTtlMs }),
    events: createRedisEventBus(redis, subscriber, prefix),
    eventStores: createRedisEventStores(redis, prefix, config.sessionIdleTtlMs),
  };
}
