// Child processes a test file started are killed when its worker exits, even
// when a timeout or a crash skipped afterAll; and a file's Redis keys go with it.
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { deleteKeysUnder } from '../../harness/redis-keys.ts';
import { REDIS_URL } from './server.ts';

const children = new Set<ChildProcess>();
let hooked = false;

export function reapOnExit<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const c of children) c.kill('SIGKILL');
    });
  }
  return child;
}

/** Deletes every key under a test's REDIS_KEY_PREFIX. */
export async function dropRedisPrefix(prefix: string | undefined, url = REDIS_URL): Promise<void> {
  // Never a bare `*`: only a test's own prefix.
  if (!prefix?.startsWith('fp:test:')) return;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await deleteKeysUnder(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
