// The ring buffer, the memory and Redis stores (capped at 200, TTL), and the
// recorder that batches entries off the request path.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_LOG_CAP, type RequestLogEntry } from '../../src/inspector/request-log.ts';
import { RequestLogRecorder } from '../../src/inspector/request-log-recorder.ts';
import {
  createMemoryRequestLogStore,
  createRedisRequestLogStore,
  RingBuffer,
  type RequestLogStore,
} from '../../src/inspector/request-log-stores.ts';

const prefix = `fp:test:${process.env.TEST_RUN_ID ?? 'local'}:inspect:${randomBytes(3).toString('hex')}:`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const entry = (n: number): RequestLogEntry => ({
  at: n,
  method: 'tools/call',
  tool: 'whoami',
  outcome: 'ok',
  durationMs: 1,
  instanceId: 'i',
  businessId: 'b',
  arguments: [],
});

describe('RingBuffer', () => {
  it('keeps the newest `capacity` items, newest first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.newestFirst()).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect(ring.newestFirst()).toEqual([2, 1]);
    for (const n of [3, 4, 5]) ring.push(n);
    expect(ring.size).toBe(3);
    expect(ring.newestFirst()).toEqual([5, 4, 3]);
  });

  it('refuses a capacity below one', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});

const stores: [string, () => RequestLogStore][] = [
  ['memory', () => createMemoryRequestLogStore({ ttlMs: 60_000 })],
  ['redis', () => createRedisRequestLogStore(redis, { prefix, ttlMs: 60_000 })],
];

describe.each(stores)('%s request log store', (_kind, make) => {
  it('keeps each log apart, newest first, capped at REQUEST_LOG_CAP', async () => {
    const store = make();
    const key = `session:${randomBytes(4).toString('hex')}`;
    const other = `client:key:${randomBytes(4).toString('hex')}`;
    const first = Array.from({ length: 150 }, (_, i) => entry(i));
    const second = Array.from({ length: 150 }, (_, i) => entry(150 + i));
    await store.append(
      new Map([
        [key, first],
        [other, [entry(-1)]],
      ]),
    );
    await store.append(new Map([[key, second]]));
    const recent = await store.recent(key);
    expect(recent).toHaveLength(REQUEST_LOG_CAP);
    expect(recent[0]?.at).toBe(299);
    expect(recent.at(-1)?.at).toBe(100);
    expect((await store.recent(other)).map((e) => e.at)).toEqual([-1]);
    expect(await store.recent('session:none')).toEqual([]);
  });
});

describe('expiry and bounds', () => {
  it('memory: a log ends its TTL after its last write; the least recently written goes first', async () => {
    let now = 0;
    const store = createMemoryRequestLogStore({ ttlMs: 1_000, maxLogs: 2, now: () => now });
    await store.append(new Map([['a', [entry(1)]]]));
    now = 900;
    await store.append(
      new Map([
        ['a', [entry(2)]],
        ['b', [entry(3)]],
      ]),
    );
    now = 1_500;
    expect((await store.recent('a')).map((e) => e.at)).toEqual([2, 1]);
    await store.append(new Map([['c', [entry(4)]]]));
    await store.append(new Map([['b', [entry(5)]]]));
    await store.append(new Map([['d', [entry(6)]]]));
    // a, written least recently when c came, was dropped for it.
    expect(await store.recent('a')).toEqual([]);
    now = 10_000;
    expect(await store.recent('d')).toEqual([]);
  });

  it('redis: the list gets the TTL', async () => {
    const store = createRedisRequestLogStore(redis, { prefix, ttlMs: 30_000 });
    await store.append(new Map([['session:ttl', [entry(1)]]]));
    const ttl = await redis.pttl(`${prefix}mcp:inspect:session:ttl`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });
});

describe('RequestLogRecorder', () => {
  const observed = (n: number) => ({
    at: n,
    method: 'tools/call',
    params: { name: 'get_product', arguments: { productId: `p${n}`, secret: 's' } },
    outcome: 'ok' as const,
    durationMs: 1,
    businessId: 'b',
  });

  it('writes nothing until it flushes, then one batch of built entries', async () => {
    const store = createMemoryRequestLogStore({ ttlMs: 60_000 });
    const recorder = new RequestLogRecorder({
      store,
      instanceId: 'inst-1',
      safeArguments: (tool) => (tool === 'get_product' ? ['productId'] : undefined),
      flushMs: 60_000,
    });
    recorder.observe('session:s', observed(1));
    recorder.observe('session:s', observed(2));
    expect(await store.recent('session:s')).toEqual([]);
    await recorder.close();
    const recent = await store.recent('session:s');
    expect(recent.map((e) => e.at)).toEqual([2, 1]);
    expect(recent[0]).toMatchObject({
      instanceId: 'inst-1',
      arguments: [{ name: 'productId', value: '"p2"' }, { name: 'secret' }],
    });
  });

  it('flushes by itself, and drops beyond its queue bound instead of growing', async () => {
    const store = createMemoryRequestLogStore({ ttlMs: 60_000 });
    const recorder = new RequestLogRecorder({
      store,
      instanceId: 'i',
      safeArguments: () => undefined,
      flushMs: 10,
      maxQueued: 3,
    });
    for (let n = 0; n < 5; n++) recorder.observe('client:key:k', observed(n));
    expect(recorder.dropped).toBe(2);
    await expect.poll(async () => (await store.recent('client:key:k')).length).toBe(3);
    await recorder.close();
  });

  it('reports a failed write and goes on', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const memory = createMemoryRequestLogStore({ ttlMs: 60_000 });
    const recorder = new RequestLogRecorder({
      store: {
        append: (batch) => (fail ? Promise.reject(new Error('down')) : memory.append(batch)),
        recent: (key) => memory.recent(key),
      },
      instanceId: 'i',
      safeArguments: () => undefined,
      flushMs: 60_000,
      onError: (e) => errors.push(e),
    });
    recorder.observe('k', observed(1));
    await recorder.flush();
    expect(errors).toHaveLength(1);
    fail = false;
    recorder.observe('k', observed(2));
    await recorder.close();
    expect((await memory.recent('k')).map((e) => e.at)).toEqual([2]);
  });
});
