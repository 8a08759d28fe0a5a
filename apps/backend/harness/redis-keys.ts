// Removing a throwaway run's Redis keys: every key under its prefix, a SCAN
// page at a time (never KEYS, never FLUSH: other runs share the server).
import type { Redis } from 'ioredis';

/** Deletes every key under `prefix`; returns how many went. */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
