// Two instances of one deployment, in this process: one database, one Redis
// key prefix and one public URL (A's: tokens name it as their audience), as
// behind a load balancer. Started together before the block's tests, closed
// after them.
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from './fixtures.ts';
import { freePort, startTestServer, uniquePrefix, type TestServer } from './server.ts';

export interface TwoInstances {
  readonly db: TestDatabase;
  readonly prefix: string;
  readonly a: TestServer;
  readonly b: TestServer;
}

/** Where `server` itself listens (its mcpUrl is the deployment's public one, A's). */
export const ownMcpUrl = (server: TestServer) =>
  `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}/mcp`;

export const portOf = (server: TestServer) =>
  (server.app.server.address() as { port: number }).port;

export function useTwoInstances(label: string, env: Record<string, string> = {}): TwoInstances {
  let started: TwoInstances | undefined;
  beforeAll(async () => {
    const db = await createTestDatabase(label);
    const prefix = uniquePrefix(label);
    const portA = await freePort();
    const shared = { databaseUrl: db.url, redis: true, redisKeyPrefix: prefix } as const;
    const servers = await Promise.allSettled([
      startTestServer({ ...shared, port: portA, env: { ...env, INSTANCE_ID: 'instance-a' } }),
      startTestServer({
        ...shared,
        env: { ...env, PUBLIC_BASE_URL: `http://127.0.0.1:${portA}`, INSTANCE_ID: 'instance-b' },
      }),
    ]);
    const [a, b] = servers;
    if (a.status === 'rejected' || b.status === 'rejected') {
      await Promise.all(servers.map((s) => (s.status === 'fulfilled' ? s.value.close() : null)));
      await db.drop();
      throw a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason;
    }
    started = { db, prefix, a: a.value, b: b.value };
  });
  afterAll(async () => {
    if (!started) return;
    await Promise.all([started.a.close(), started.b.close()]);
    await started.db.drop();
  });
  const current = () => {
    if (!started) throw new Error(`the ${label} instances are used before beforeAll started them`);
    return started;
  };
  return {
    get db() {
      return current().db;
    },
    get prefix() {
      return current().prefix;
    },
    get a() {
      return current().a;
    },
    get b() {
      return current().b;
    },
  };
}

/** Two businesses, X with a merchant key, made once before the block's tests. */
export function useTwoShops(h: TwoInstances) {
  let shops:
    | {
        bizX: Awaited<ReturnType<typeof createBusiness>>;
        bizY: Awaited<ReturnType<typeof createBusiness>>;
        merchantKey: string;
      }
    | undefined;
  beforeAll(async () => {
    const bizX = await createBusiness(h.db.prisma, unique('Xavier Cafe'));
    const bizY = await createBusiness(h.db.prisma, unique('Yellow Deli'));
    const { key } = await createKey(h.db.prisma, { businessId: bizX.business.id });
    shops = { bizX, bizY, merchantKey: key };
  });
  return () => {
    if (!shops) throw new Error('the shops are used before beforeAll made them');
    return shops;
  };
}
