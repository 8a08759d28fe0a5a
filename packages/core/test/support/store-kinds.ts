// Every session store kind (memory, Redis, PostgreSQL) for the tests that hold
// all three to one contract: a fresh database and a Redis key prefix of the
// file's own, dropped after it; each call of a maker gives a store of its own.
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createDatabaseSessionStore } from '../../src/sessions/database-session-store.ts';
import { createMemorySessionStore } from '../../src/sessions/memory-session-store.ts';
import { createRedisSessionStore } from '../../src/sessions/redis-session-store.ts';
import type { SessionStore } from '../../src/sessions/session-record.ts';

const hex = () => randomBytes(8).toString('hex');

/** For describe.each: [kind, make a store]. Registers the file's set-up and clean-up. */
export function everyStoreKind(label: string, idleTtlMs: number): [string, () => SessionStore][] {
  let db: TestDatabase;
  let redis: Redis;
  const prefix = `fp:test:${process.env.TEST_RUN_ID ?? 'local'}:${label}:${hex()}:`;

  beforeAll(async () => {
    db = await createTestDatabase(label);
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
    await redis.connect();
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  return [
    ['memory', () => createMemorySessionStore(idleTtlMs)],
    ['redis', () => createRedisSessionStore(redis, { prefix: `${prefix}${hex()}:`, idleTtlMs })],
    ['database', () => createDatabaseSessionStore(db.prisma, idleTtlMs)],
  ];
}
