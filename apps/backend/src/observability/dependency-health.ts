// Whether the backend's dependencies answer right now: PostgreSQL (SELECT 1)
// and Redis (PING), each bounded by a timeout so a black-holed connection
// reads as down instead of hanging the probe.
import type { Database } from '@flowpos/db';
import type { Redis } from 'ioredis';

export type Health = 'ok' | 'down';

export interface DependencyHealth {
  database: Health;
  /** Absent when the backend runs without Redis. */
  redis?: Health;
}

const PROBE_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('probe timed out')), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export function dependencyHealth(deps: {
  database: Database;
  redis: Redis | undefined;
}): () => Promise<DependencyHealth> {
  return async () => {
    const [database, redis] = await Promise.all([
      probe(() => deps.database.prisma.$queryRaw`SELECT 1`),
      deps.redis ? probe(() => deps.redis!.ping()) : Promise.resolve(undefined),
    ]);
    return redis ? { database, redis } : { database };
  };
}

export const isHealthy = (health: DependencyHealth) =>
  health.database === 'ok' && (health.redis ?? 'ok') === 'ok';
