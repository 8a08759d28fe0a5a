// Redis goes away under a running instance: new sessions are refused with 503
// and a clear message, sessions this process already holds keep working,
// nothing crashes, and service comes back by itself when Redis does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { connectClient, toolJson, type ConnectedClient } from '../../support/mcp-client.ts';
import { waitFor } from '../../support/poll.ts';
import { rawCall, rawInitialize } from '../../support/raw-mcp.ts';
import { startRedisProcess, type RedisProcess } from '../../support/redis-process.ts';
import { startTestServer, uniquePrefix, type TestServer } from '../../support/server.ts';

let db: TestDatabase;
let redis: RedisProcess | undefined;
let server: TestServer | undefined;
/** Another instance on the same Redis: it opens a session `server` has never seen. */
let other: TestServer | undefined;
const clients: ConnectedClient[] = [];

beforeAll(async () => {
  db = await createTestDatabase('sessionsredisdown');
  redis = await startRedisProcess();
  const prefix = uniquePrefix('redisdown');
  server = await startTestServer({
    databaseUrl: db.url,
    redis: true,
    redisUrl: redis.url,
    redisKeyPrefix: prefix,
  });
  other = await startTestServer({
    databaseUrl: db.url,
    redis: true,
    redisUrl: redis.url,
    redisKeyPrefix: prefix,
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.close();
  await other?.close();
  await redis?.kill();
  await db?.drop();
});

describe('Redis down', () => {
  it('refuses new sessions with 503, keeps cached sessions working, and recovers by itself', async () => {
    const { business } = await createBusiness(db.prisma, unique('Outage Grill'));
    const { key } = await createKey(db.prisma, { businessId: business.id });
    const held = await connectClient(server!.mcpUrl, key, { name: 'held' });
    clients.push(held);
    const whoami = async (c: ConnectedClient) => {
      const result = await c.client.callTool({ name: 'whoami', arguments: {} });
      expect(result.isError).toBeFalsy();
      return toolJson<{ sessionId: string }>(result).sessionId;
    };
    expect(await whoami(held)).toBe(held.sessionId);
    const elsewhere = await connectClient(other!.mcpUrl, key, { name: 'elsewhere' });
    clients.push(elsewhere);

    await redis!.kill();
    await waitFor(() => server!.services.redis?.status !== 'ready', {
      what: 'the backend to notice Redis is gone',
    });

    // A new session cannot be stored: 503 with a message a person can act on.
    const refused = await rawInitialize(server!.mcpUrl, key);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.text)).toMatchObject({
      jsonrpc: '2.0',
      error: { message: 'Session store unavailable: try again shortly' },
    });
    expect(refused.sessionId).toBeNull();
    // The SDK client sees the same refusal.
    await expect(connectClient(server!.mcpUrl, key, { name: 'refused' })).rejects.toThrow(
      /503|Session store unavailable/,
    );

    // A live session this process has not seen cannot be read from the store:
    // 503 (try again), not 404 (which tells clients to start over).
    const unseen = await rawCall(
      server!.mcpUrl,
      { sessionId: elsewhere.sessionId, bearer: key, protocolVersion: '2025-11-25' },
      'ping',
    );
    expect(unseen.status).toBe(503);
    expect(unseen.body.error?.message).toBe('Session store unavailable: try again shortly');

    // The session this process holds keeps working, many times over.
    for (let i = 0; i < 10; i++) expect(await whoami(held)).toBe(held.sessionId);
    expect((await held.client.listTools()).tools.length).toBeGreaterThan(0);
    // Nothing crashed: the process answers, and says what is down.
    const health = await fetch(`${server!.baseUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(JSON.stringify(await health.json())).toContain('down');

    // Redis comes back (empty) on the same port: new sessions work again without a restart.
    await redis!.restart();
    const started = Date.now();
    const recovered = await waitFor(
      async () => {
        const attempt = await rawInitialize(server!.mcpUrl, key);
        return attempt.status === 200 ? attempt : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: 'new sessions after Redis returned' },
    );
    console.log(
      `[redis down] new sessions accepted again ${Date.now() - started} ms after Redis restarted`,
    );
    expect(recovered.sessionId).toBeTruthy();
    const fresh = await connectClient(server!.mcpUrl, key, { name: 'fresh' });
    clients.push(fresh);
    expect(await whoami(fresh)).toBe(fresh.sessionId);
    const ping = await rawCall(
      server!.mcpUrl,
      {
        sessionId: fresh.sessionId,
        bearer: key,
        protocolVersion: fresh.transport.protocolVersion ?? '2025-11-25',
      },
      'ping',
    );
    expect(ping.status).toBe(200);
    expect((await fetch(`${server!.baseUrl}/healthz`)).status).toBe(200);
  });
});
