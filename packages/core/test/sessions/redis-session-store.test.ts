// The Redis session store against a real Redis, under a key prefix of its own.
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMemorySessionStore } from '../../src/sessions/memory-session-store.ts';
import { createRedisSessionStore } from '../../src/sessions/redis-session-store.ts';
import type { SessionStore } from '../../src/sessions/session-record.ts';
import { keyPrincipal, sessionRecord } from '../support/session-records.ts';

const prefix = `fp:test:${process.env.TEST_RUN_ID ?? 'local'}:store:${randomBytes(3).toString('hex')}:`;
let redis: Redis;
let store: SessionStore;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  store = createRedisSessionStore(redis, { prefix, idleTtlMs: 60_000 });
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('RedisSessionStore', () => {
  it('creates, reads, touches and deletes under mcp:session:{id}', async () => {
    const r = sessionRecord();
    await store.create(r);
    expect(await redis.exists(`${prefix}mcp:session:${r.id}`)).toBe(1);
    expect(await store.get(r.id)).toEqual(r);
    await store.touch(r.id, 'b', r.lastSeenAt + 5_000);
    expect(await store.get(r.id)).toMatchObject({
      instanceId: 'b',
      lastSeenAt: r.lastSeenAt + 5_000,
    });
    expect(await store.idsForCredential('key:k1')).toContain(r.id);
    expect(await store.delete(r.id)).toBe(true);
    expect(await store.get(r.id)).toBeNull();
    expect(await store.delete(r.id)).toBe(false);
    await store.touch(r.id, 'c', Date.now());
    expect(await redis.exists(`${prefix}mcp:session:${r.id}:seen`)).toBe(0);
  });

  it('touching a busy session slides its credential’s index too (it never expires before its sessions)', async () => {
    const credential = `key:${randomUUID()}`;
    const r = sessionRecord({ credential });
    await store.create(r);
    const indexKey = `${prefix}mcp:credential:${credential}`;
    // As if the index had been written long ago and its TTL had almost run out.
    await redis.pexpire(indexKey, 1_000);
    await store.touch(r.id, 'a', Date.now(), credential);
    expect(await redis.pttl(indexKey)).toBeGreaterThan(1_000);
    expect(await store.idsForCredential(credential)).toEqual([r.id]);
  });

  it('a touch never undoes a principal saved meanwhile', async () => {
    const r = sessionRecord();
    await store.create(r);
    await store.updatePrincipal(r.id, () => keyPrincipal('b2'));
    await store.touch(r.id, 'other-instance', Date.now());
    expect((await store.get(r.id))?.principal.activeBusinessId).toBe('b2');
  });

  it('an update does not resurrect an ended session', async () => {
    const r = sessionRecord();
    await store.create(r);
    await store.delete(r.id);
    expect(await store.updatePrincipal(r.id, () => keyPrincipal('b3'))).toBeNull();
    expect(await store.get(r.id)).toBeNull();
  });

  it('concurrent principal updates from two writers both land', async () => {
    const r = sessionRecord();
    await store.create(r);
    const connection = redis.duplicate();
    const other = createRedisSessionStore(connection, { prefix, idleTtlMs: 60_000 });
    await Promise.all([
      store.updatePrincipal(r.id, (p) => ({ ...p, activeBusinessId: 'b9' })),
      other.updatePrincipal(r.id, (p) => ({ ...p, scopes: ['pos:read', 'sessions:read'] })),
      store.updatePrincipal(r.id, (p) => ({ ...p, label: 'renamed' })),
    ]);
    connection.disconnect();
    const stored = (await store.get(r.id))?.principal;
    expect(stored).toMatchObject({
      activeBusinessId: 'b9',
      scopes: ['pos:read', 'sessions:read'],
      label: 'renamed',
    });
  });

  it('lists live sessions with their activity', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = sessionRecord({ instanceId: `i${i}` });
      ids.push(r.id);
      await store.create(r);
    }
    const listed = await store.page(null, 1000);
    expect(listed.map((r) => r.id)).toEqual(expect.arrayContaining(ids));
    expect(listed.find((r) => r.id === ids[2])?.instanceId).toBe('i2');
  });

  it("a session ends at its credential's expiry for every instance, and in memory too", async () => {
    const other = createRedisSessionStore(redis, { prefix, idleTtlMs: 60_000 });
    const memory = createMemorySessionStore(60_000);
    const r = sessionRecord({ credential: 'key:expiring', expiresAt: Date.now() + 300 });
    await store.create(r);
    await memory.create(r);
    expect(await other.get(r.id)).toMatchObject({ id: r.id, expiresAt: r.expiresAt });
    expect((await other.page(null, 1000)).map((x) => x.id)).toContain(r.id);
    await vi.waitFor(
      async () => {
        expect(await other.get(r.id)).toBeNull();
        expect(await memory.get(r.id)).toBeNull();
      },
      { timeout: 5_000, interval: 50 },
    );
    expect((await other.page(null, 1000)).map((x) => x.id)).not.toContain(r.id);
    expect(await memory.page(null, 1000)).toEqual([]);
    expect(await other.updatePrincipal(r.id, (p) => p)).toBeNull();
  });
});
