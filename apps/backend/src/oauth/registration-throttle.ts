// Dynamic client registration is open to anyone: a fixed window per client
// address keeps it from filling the database. Counted in Redis when there is
// one (every instance shares the window), in process otherwise.
import type { Redis } from 'ioredis';

export interface RegistrationThrottle {
  /** True when this address may register one more client now. */
  allow(address: string): Promise<boolean>;
}

const WINDOW_SECONDS = 3600;

export function createRegistrationThrottle(
  limit: number,
  redis?: { client: Redis; prefix: string },
): RegistrationThrottle {
  if (redis) {
    return {
      async allow(address) {
        const window = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
        const key = `${redis.prefix}oauth:registrations:${window}:${address}`;
        const [[, count] = [null, 0]] = (await redis.client
          .multi()
          .incr(key)
          .expire(key, WINDOW_SECONDS)
          .exec()) as [Error | null, number][];
        return Number(count) <= limit;
      },
    };
  }
  const counts = new Map<string, number>();
  let window = 0;
  return {
    async allow(address) {
      const now = Math.floor(Date.now() / 1000 / WINDOW_SECONDS);
      if (now !== window) {
        window = now;
        counts.clear();
      }
      const count = (counts.get(address) ?? 0) + 1;
      counts.set(address, count);
      return count <= limit;
    },
  };
}
