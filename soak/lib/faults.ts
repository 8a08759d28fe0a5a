// Runs one fault of the schedule against the soak's processes and says when
// it started and ended. "Ended" is when the fault's own action is over: the
// dependency reachable or running again, the replaced backend ready.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Fleet } from './fleet.ts';
import type { FaultKind } from './schedule.ts';
import type { Postgres, RedisServer } from './services.ts';
import type { TcpProxy } from './tcp-proxy.ts';

export interface FaultTargets {
  fleet: Fleet;
  postgres: Postgres;
  redis: RedisServer;
  pgProxy: TcpProxy;
  redisProxy: TcpProxy;
  /** The secret every backend signs with now. */
  secret: string;
}

/** Runs the fault; resolves with what it did, for the log. */
export async function runFault(
  kind: FaultKind,
  t: FaultTargets,
  outageMs: number,
): Promise<string> {
  switch (kind) {
    case 'backend-kill': {
      const name = busiestBackend(t.fleet);
      await t.fleet.killAndReplace(name);
      return `${name} killed and replaced`;
    }
    case 'redis-restart':
      await t.redis.restart();
      return 'redis-server stopped and started';
    case 'redis-unreachable':
      await t.redisProxy.outage(outageMs);
      return `Redis proxy cut for ${outageMs / 1000} s`;
    case 'postgres-restart':
      await t.postgres.stopFast();
      await t.postgres.start();
      return 'pg_ctl stop -m fast, then start';
    case 'postgres-unreachable':
      await t.pgProxy.outage(outageMs);
      return `PostgreSQL proxy cut for ${outageMs / 1000} s`;
    case 'secret-roll': {
      const previous = t.secret;
      t.secret = randomBytes(32).toString('hex');
      await t.fleet.restartWith('b3', {
        MCP_TOKEN_SECRET: t.secret,
        MCP_TOKEN_SECRET_PREVIOUS: previous,
        MCP_TOKEN_SECRET_PREVIOUS_UNTIL: new Date(Date.now() + 3_600_000).toISOString(),
      });
      return 'b3 restarted with a new secret, the old one as previous';
    }
  }
}

/**
 * The backend with the most open connections: GET /mcp and listen streams
 * are long-lived, so it is the one holding streams (b2 when `ss` is missing).
 */
export function busiestBackend(fleet: Pick<Fleet, 'backends'>): string {
  let best = { name: 'b2', open: -1 };
  for (const b of fleet.backends) {
    let open = 0;
    try {
      const out = execFileSync('ss', ['-Htn', 'state', 'established', `( sport = :${b.port} )`], {
        encoding: 'utf8',
      });
      open = out.split('\n').filter(Boolean).length;
    } catch {
      return 'b2';
    }
    if (open > best.open) best = { name: b.name, open };
  }
  return best.name;
}
