// CPU a request costs outside the server under test, so that a server that
// moves work into PostgreSQL, Redis or the client does not look cheaper than
// it is: the PostgreSQL backends serving the bench's database (their pids from
// pg_stat_activity, their CPU from /proc), Redis (`INFO cpu`, the whole
// server) and this process, the load generator (`process.cpuUsage()`).
import type { Db } from '@flowpos/db';
import type { Redis } from 'ioredis';
import { processCpuMs } from './process-cpu.ts';

/** CPU per request, ms, by where it was spent; undefined where it could not be read. */
export interface CpuParts {
  server?: number;
  postgres?: number;
  redis?: number;
  loadgen: number;
}

interface Snapshot {
  server?: number;
  postgres?: Map<number, number>;
  redis?: number;
  loadgen: number;
}

export interface CpuMeters {
  /** CPU used so far by the server `pid`, the database's backends, Redis and this process. */
  snapshot(pid: number | undefined): Promise<Snapshot>;
}

/** `INFO cpu`: Redis's user + system CPU since it started, ms (main thread and I/O threads). */
async function redisCpuMs(redis: Redis): Promise<number | undefined> {
  try {
    const info = await redis.info('cpu');
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1]);
    const total = (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
    return Number.isFinite(total) ? total : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The CPU of every PostgreSQL process serving the bench's database (client
 * backends and their parallel workers; the bench's own querying connection left
 * out), by pid. Undefined when PostgreSQL runs where /proc cannot see it.
 */
async function postgresCpuMs(db: Db): Promise<Map<number, number> | undefined> {
  try {
    const rows = await db.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = processCpuMs(Number(pid));
      if (ms !== undefined) out.set(Number(pid), ms);
    }
    return rows.length > 0 && out.size === 0 ? undefined : out;
  } catch {
    return undefined;
  }
}

const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

export function cpuMeters(db: Db, redis: Redis): CpuMeters {
  return {
    async snapshot(pid) {
      const [postgres, redisMs] = await Promise.all([postgresCpuMs(db), redisCpuMs(redis)]);
      return { server: processCpuMs(pid), postgres, redis: redisMs, loadgen: ownCpuMs() };
    },
  };
}

/** A meter that reads the server's CPU only (no database, no Redis): for sections without them. */
export const serverOnlyMeters: CpuMeters = {
  snapshot: async (pid) => ({ server: processCpuMs(pid), loadgen: ownCpuMs() }),
};

/**
 * CPU per request between two snapshots. PostgreSQL: every backend seen at the
 * end, less what it had used at the start (a backend opened meanwhile counts
 * in full: its start is part of the cost; one closed meanwhile is lost).
 */
export function cpuPerRequest(before: Snapshot, after: Snapshot, requests: number): CpuParts {
  const per = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : (b - a) / requests;
  let postgres: number | undefined;
  if (before.postgres && after.postgres) {
    let ms = 0;
    for (const [pid, used] of after.postgres) ms += used - (before.postgres.get(pid) ?? 0);
    postgres = ms / requests;
  }
  const parts: CpuParts = { loadgen: (after.loadgen - before.loadgen) / requests };
  const server = per(before.server, after.server);
  const redis = per(before.redis, after.redis);
  if (server !== undefined) parts.server = server;
  if (postgres !== undefined) parts.postgres = postgres;
  if (redis !== undefined) parts.redis = redis;
  return parts;
}
