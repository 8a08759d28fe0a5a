// Counters behind the daily caps: Redis (INCRBY + PEXPIREAT in one MULTI, so
// every instance counts on the same figures) when REDIS_URL is set, a Map on
// the embedded default. A counter expires at the end of the business day it
// counts. The Redis store throws when Redis does not answer: the caller
// decides whether that refuses (intent-caps.ts: it does, when a cap applies).
import type { Redis } from 'ioredis';

export interface CapCounters {
  /** Adds each `by` to its counter (expiring at `expireAtMs`); answers the new values, in order. */
  add(deltas: readonly { key: string; by: number }[], expireAtMs: number): Promise<number[]>;
  /** The current values (0 for an absent counter). */
  read(keys: readonly string[]): Promise<number[]>;
}

export function createMemoryCapCounters(now: () => number = Date.now): CapCounters {
  const counters = new Map<string, { value: number; until: number }>();
  const live = (key: string) => {
    const hit = counters.get(key);
    if (hit && hit.until > now()) return hit;
    counters.delete(key);
    return undefined;
  };
  return {
    async add(deltas, expireAtMs) {
      // Expired counters of past days go as a new day's are written.
      if (counters.size > 50_000) for (const key of [...counters.keys()]) live(key);
      return deltas.map(({ key, by }) => {
        const entry = live(key) ?? { value: 0, until: expireAtMs };
        entry.value += by;
        counters.set(key, entry);
        return entry.value;
      });
    },
    async read(keys) {
      return keys.map((key) => live(key)?.value ?? 0);
    },
  };
}

export function createRedisCapCounters(redis: Redis, prefix: string): CapCounters {
  const full = (key: string) => `${prefix}caps:${key}`;
  return {
    async add(deltas, expireAtMs) {
      const multi = redis.multi();
      for (const { key, by } of deltas)
        multi.incrby(full(key), by).pexpireat(full(key), expireAtMs);
      const replies = await multi.exec();
      if (!replies) throw new Error('cap counters: transaction aborted');
      return deltas.map((_, i) => {
        const [error, value] = replies[i * 2] ?? [new Error('cap counters: no reply'), null];
        if (error) throw error;
        return Number(value);
      });
    },
    async read(keys) {
      if (keys.length === 0) return [];
      const values = await redis.mget(keys.map(full));
      return values.map((v) => (v === null ? 0 : Number(v)));
    },
  };
}
