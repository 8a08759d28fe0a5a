// What a bench run holds from start to end, and gives back on the way out
// (also on Ctrl-C): a throwaway database, a Redis key prefix of its own, and
// the servers it started. Cleanups run last-in, first-out.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { deleteKeysUnder } from '../../apps/backend/harness/redis-keys.ts';
import type { ServerProcess } from './processes.ts';
import { EMULATOR_HOST, log, REDIS_URL } from './settings.ts';

export class Cleanups {
  private readonly steps: (() => Promise<unknown>)[] = [];
  private interrupted = false;

  push(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse())
      await step().catch((e) => log(`cleanup: ${String(e)}`));
  }

  /** Ctrl-C cleans up, a second Ctrl-C exits at once. */
  onSignals(): void {
    const onSignal = () => {
      if (this.interrupted) process.exit(130);
      this.interrupted = true;
      log('interrupted: cleaning up (Ctrl-C again to force)');
      void this.run().finally(() => process.exit(130));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}

export interface RunContext {
  redis: Redis;
  /** Every Redis key the run writes starts with it; deleted at the end. */
  prefix: string;
  database: TestDatabase;
  /** Whether the Firebase Auth Emulator answers (token and console rows need it). */
  emulator: boolean;
  /** Servers stopped at the end; sections add the ones they start. */
  servers: ServerProcess[];
}

export async function openRunContext(cleanups: Cleanups): Promise<RunContext> {
  const prefix = `fp:bench:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  cleanups.push(async () => {
    const n = await deleteKeysUnder(redis, prefix);
    log(`deleted ${n} redis keys under ${prefix}`);
    redis.disconnect();
  });
  const database = await createTestDatabase('bench');
  cleanups.push(() => database.drop());
  const emulator = await emulatorUp();
  if (!emulator)
    log(
      `Firebase Auth Emulator not answering on ${EMULATOR_HOST}: token exchange and HTTP console benches are skipped/in-process`,
    );
  const servers: ServerProcess[] = [];
  cleanups.push(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });
  return { redis, prefix, database, emulator, servers };
}

async function emulatorUp(): Promise<boolean> {
  try {
    const res = await fetch(`http://${EMULATOR_HOST}/`, { signal: AbortSignal.timeout(1_500) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}
