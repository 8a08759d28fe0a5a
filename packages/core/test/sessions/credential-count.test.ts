// The per-credential session cap counts before it reads: every store kind
// (memory, Redis, PostgreSQL) answers how many sessions a credential holds
// without listing them, and agrees with the list it would read near the cap.
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseSessionStore } from '../../src/sessions/database-session-store.ts';
import { createMemorySessionStore } from '../../src/sessions/memory-session-store.ts';
import { createRedisSessionStore } from '../../src/sessions/redis-session-store.ts';
import type { SessionStore } from '../../src/sessions/session-record.ts';
import { sessionRecord } from '../support/session-records.ts';

const TTL = 60_000;
const hex = () => randomBytes(8).toString('hex');

let db: TestDatabase;
let redis: Redis;
const prefix = `fp:test:${process.env.TEST_RUN_ID ?? 'local'}:count:${hex()}:`;

beforeAll(async () => {
  db = await createTestDatabase('count');
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await db?.drop();
});

const stores: [string, () => SessionStore][] = [
  ['memory', () => createMemorySessionStore(TTL)],
  ['redis', () => createRedisSessionStore(redis, { prefix: `${prefix}${hex()}:`, idleTtlMs: TTL })],
  ['database', () => createDatabaseSessionStore(db.prisma, TTL)],
];

describe.each(stores)('the %s store', (_kind, makeStore) => {
  it("counts a credential's sessions as many as it lists, and follows an ended one", async () => {
    const store = makeStore();
    const mine = `key:${hex()}`;
    const theirs = `key:${hex()}`;
    expect(await store.countForCredential(mine)).toBe(0);
    const records = [1, 2, 3].map(() => sessionRecord({ credential: mine }));
    for (const r of [...records, sessionRecord({ credential: theirs })]) await store.create(r);

    expect(await store.countForCredential(mine)).toBe(3);
    expect(await store.countForCredential(theirs)).toBe(1);
    expect((await store.idsForCredential(mine)).sort()).toEqual(records.map((r) => r.id).sort());

    await store.delete(records[0]?.id as string);
    expect(await store.countForCredential(mine)).toBe(2);
  });
});
