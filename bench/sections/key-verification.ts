// Bench section 3: API key verification in-process (ApiKeyVerifier), cold and cached.
import { ApiKeyVerifier, createMemoryEventBus } from '@flowpos/core';
import type { Db } from '@flowpos/db';
import type { Report } from '../lib/report.ts';
import type { Settings } from '../lib/settings.ts';
import { p, roundsMedian, timeEach } from '../lib/stats.ts';

export async function benchKeyVerification(opts: {
  report: Report;
  db: Db;
  key: string;
  settings: Settings;
}): Promise<void> {
  const { report, db, key, settings } = opts;
  const events = createMemoryEventBus();
  const cached = new ApiKeyVerifier(db, events, { cacheTtlMs: 3_600_000 });
  const uncached = new ApiKeyVerifier(db, events, { cacheTtlMs: 0 });
  if (!(await cached.verify(key)) || !(await uncached.verify(key)))
    throw new Error('key verification failed');
  await timeEach(2_000, () => cached.verify(key));
  await timeEach(100, () => uncached.verify(key));
  const c: Float64Array[] = [];
  const u: Float64Array[] = [];
  for (let r = 0; r < settings.rounds; r++) {
    c.push(await timeEach(settings.keyCached, () => cached.verify(key)));
    u.push(await timeEach(settings.keyUncached, () => uncached.verify(key)));
  }
  cached.close();
  uncached.close();
  const S = '3 key verification';
  const cachedP99 = roundsMedian(c, 99);
  report.add({
    section: S,
    metric: 'cached: p50 / p99',
    value: roundsMedian(c, 50),
    value2: cachedP99,
    unit: 'µs',
    target: 'p99 < 200 µs',
    pass: cachedP99 < 200,
    rounds: c.map((r) => +p(r, 99).toFixed(1)),
    detail: `in-process ApiKeyVerifier.verify, ${settings.keyCached} calls/round`,
  });
  report.add({
    section: S,
    metric: 'uncached (PostgreSQL): p50 / p99',
    value: roundsMedian(u, 50),
    value2: roundsMedian(u, 99),
    unit: 'µs',
    detail: `cacheTtlMs 0: SHA-256 + Prisma findUnique by hash, ${settings.keyUncached} calls/round`,
  });
}
