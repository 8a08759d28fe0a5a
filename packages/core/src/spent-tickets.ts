// One-time tickets: a download link's ticket is spent by its first use, so a
// link read back from a proxy's access log or a browser's download list
// within its minute opens nothing. Redis (SET NX PX: every instance sees the
// same spend) when REDIS_URL is set, a Map on the embedded default (one
// process). Each mark lives as long as its ticket could still be valid.
import type { Redis } from 'ioredis';

export interface SpentTickets {
  /** True the first time `id` is spent while it is remembered (`ttlMs`); false after. Throws when the store does not answer. */
  spend(id: string, ttlMs: number): Promise<boolean>;
}

export function createMemorySpentTickets(now: () => number = Date.now): SpentTickets {
  const spent = new Map<string, number>();
  return {
    async spend(id, ttlMs) {
      const at = now();
      // Marks of tickets that have expired anyway go as new ones are spent.
      if (spent.size > 1_000) for (const [key, until] of spent) if (until <= at) spent.delete(key);
      const until = spent.get(id);
      if (until !== undefined && until > at) return false;
      spent.set(id, at + Math.max(1, ttlMs));
      return true;
    },
  };
}

export function createRedisSpentTickets(redis: Redis, prefix: string): SpentTickets {
  return {
    async spend(id, ttlMs) {
      const reply = await redis.set(
        `${prefix}spent-ticket:${id}`,
        '1',
        'PX',
        Math.max(1, Math.ceil(ttlMs)),
        'NX',
      );
      return reply === 'OK';
    },
  };
}
