// Usage rows are kept for a while, then deleted: hour rows for the hourly
// retention (default 48 h), day rows for the daily one (default 90 days).
// Every instance sweeps now and then; the deletes are idempotent.
import type { Db } from '@flowpos/db';
import { DAY_MS, HOUR_MS } from './usage-counter.ts';

export interface UsageRetention {
  hourlyMs: number;
  dailyMs: number;
}

export const DEFAULT_USAGE_RETENTION: UsageRetention = {
  hourlyMs: 48 * HOUR_MS,
  dailyMs: 90 * DAY_MS,
};

/**
 * Deletes hour rows whose hour ended before the hourly retention and day rows
 * whose day ended before the daily retention; returns how many went.
 */
export async function sweepUsage(
  db: Db,
  retention: UsageRetention,
  now = Date.now(),
): Promise<number> {
  const { count } = await db.usageBucket.deleteMany({
    where: {
      OR: [
        { period: 'hour', bucketStart: { lt: new Date(now - retention.hourlyMs - HOUR_MS) } },
        { period: 'day', bucketStart: { lt: new Date(now - retention.dailyMs - DAY_MS) } },
      ],
    },
  });
  return count;
}

export function startUsageSweeper(
  db: Db,
  retention: UsageRetention,
  options: { everyMs?: number; onError?: (error: unknown) => void } = {},
): () => void {
  const timer = setInterval(
    () => void sweepUsage(db, retention).catch((error: unknown) => options.onError?.(error)),
    options.everyMs ?? 10 * 60_000,
  );
  timer.unref();
  return () => clearInterval(timer);
}
