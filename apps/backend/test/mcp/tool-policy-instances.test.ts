// A tool policy edited on one instance reaches clients served by another
// (two instances sharing PostgreSQL and Redis): the 2025 session's GET stream
// and the 2026 listen stream on B get tools/list_changed when A changes the
// key's policy, and B's cached key verification does not keep the old policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { loadActorByUserId, updateApiKeyToolPolicy } from '@flowpos/core';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../support/fixtures.ts';
import { routingFetch } from '../support/http-routing.ts';
import { connectClient, connectModernClient } from '../support/mcp-client.ts';
import { waitFor } from '../support/poll.ts';
import { dropRedisPrefix } from '../support/reap.ts';
import { startTestServer, uniquePrefix, type TestServer } from '../support/server.ts';
import { createDbUser } from '../support/shared-services.ts';

let db: TestDatabase;
let prefix: string;
let a: TestServer | undefined;
let b: TestServer | undefined;

beforeAll(async () => {
  db = await createTestDatabase('policyinstances');
  prefix = uniquePrefix('policyinstances');
  const shared = { databaseUrl: db.url, redis: true, redisKeyPrefix: prefix } as const;
  a = await startTestServer({ ...shared, env: { INSTANCE_ID: 'instance-a' } });
  b = await startTestServer({
    ...shared,
    env: { INSTANCE_ID: 'instance-b', PUBLIC_BASE_URL: a.baseUrl },
  });
});

afterAll(async () => {
  for (const server of [a, b]) {
    await server?.services.sessions.shutdown();
    const closing = server?.close();
    server?.app.server.closeAllConnections();
    await closing;
  }
  await dropRedisPrefix(prefix);
  await db?.drop();
});

describe('tool policy across instances', () => {
  it('a change made on A narrows the clients served by B, both eras', async () => {
    const { business } = await createBusiness(db.prisma, unique('Two Instance Bar'));
    const owner = await createDbUser(db.prisma, {
      email: `${unique('policy-owner')}@test.flowpos`,
      memberships: [{ businessId: business.id, role: 'merchant' }],
    });
    const { key, row } = await createKey(db.prisma, { businessId: business.id });
    const bUrl = `http://127.0.0.1:${(b!.app.server.address() as { port: number }).port}/mcp`;
    const bPort = Number(new URL(bUrl).port);
    const routing = routingFetch(() => bPort);
    const legacy = await connectClient(bUrl, key, { fetch: routing.fetch });
    const modern = await connectModernClient(bUrl, key);
    const notes = { v1: 0, v2: 0 };
    legacy.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void notes.v1++);
    modern.setNotificationHandler('notifications/tools/list_changed', () => void notes.v2++);
    try {
      await routing.streamOpened;
      // B has verified (and cached) the key with policy all.
      expect((await modern.listTools()).tools.map((t) => t.name)).toContain('create_sale_intent');
      await modern.listen({ toolsListChanged: true });

      await updateApiKeyToolPolicy(
        {
          db: a!.services.database.prisma,
          audit: a!.services.core.audit,
          events: a!.services.core.events,
          sessions: a!.services.core.sessions,
        },
        await loadActorByUserId(db.prisma, owner.id),
        { keyId: row.id, toolPolicy: { kind: 'tools', tools: ['whoami'] } },
      );
      await waitFor(() => notes.v1 > 0 && notes.v2 > 0, {
        what: 'tools/list_changed on B for a change made on A',
      });
      expect((await legacy.client.listTools()).tools.map((t) => t.name)).toEqual(['whoami']);
      expect((await modern.listTools()).tools.map((t) => t.name)).toEqual(['whoami']);
      // A fresh 2026 request on B (its key cache) is refused the tool too.
      const fresh = await connectModernClient(bUrl, key);
      const outside = await fresh.callTool({ name: 'list_products', arguments: {} }).then(
        (r) => JSON.stringify(r),
        (error: Error) => error.message,
      );
      expect(outside).toContain('Tool list_products not found');
      await fresh.close();
    } finally {
      await legacy.close();
      await modern.close();
    }
  });
});
