// Runs one fault of the schedule against the soak's processes and says when
// it started and ended. "Ended" is when the fault's own action is over: the
// dependency reachable or running again, the replaced backend ready.
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

export async function runFault(kind: FaultKind, t: FaultTargets, outageMs: number): Promise<void> {
  switch (kind) {
    case 'backend-kill':
      // Round robin spreads the GET and listen streams: b2 holds its share.
      return t.fleet.killAndReplace('b2');
    case 'redis-restart':
      return t.redis.restart();
    case 'redis-unreachable':
      return t.redisProxy.outage(outageMs);
    case 'postgres-restart':
      await t.postgres.stopFast();
      return t.postgres.start();
    case 'postgres-unreachable':
      return t.pgProxy.outage(outageMs);
    case 'secret-roll': {
      const previous = t.secret;
      t.secret = randomBytes(32).toString('hex');
      return t.fleet.restartWith('b3', {
        MCP_TOKEN_SECRET: t.secret,
        MCP_TOKEN_SECRET_PREVIOUS: previous,
        MCP_TOKEN_SECRET_PREVIOUS_UNTIL: new Date(Date.now() + 3_600_000).toISOString(),
      });
    }
  }
}
