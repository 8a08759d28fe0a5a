// PostgreSQL unreachable under a running instance (a TCP proxy cut in front
// of it): every answer is the product's "try again" — 503 with Retry-After
// and a JSON-RPC error body on /mcp, tRPC's SERVICE_UNAVAILABLE with
// Retry-After on the console's API, a tool error naming the outage inside a
// tools/call on a held session — never a 500; /readyz says not ready; the
// audit events of calls answered meanwhile are written once PostgreSQL is back.
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createKey, createUser, type TestUser } from '../support/fixtures.ts';
import { initializeBody } from '../support/raw-http.ts';
import { connectClient, type ConnectedClient } from '../support/mcp-client.ts';
import { waitFor } from '../support/poll.ts';
import { dropRedisPrefix } from '../support/reap.ts';
import { startTestServer, uniquePrefix, type TestServer } from '../support/server.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

let db: TestDatabase;
let proxy: TcpProxy;
let server: TestServer;
const prefix = uniquePrefix('dboutage');
let held: ConnectedClient | undefined;

beforeAll(async () => {
  db = await createTestDatabase('dboutage');
  const target = new URL(db.url);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  target.port = String(proxy.port);
  server = await startTestServer({
    databaseUrl: target.toString(),
    redis: true,
    redisKeyPrefix: prefix,
  });
});

afterAll(async () => {
  await held?.close();
  await proxy?.resume().catch(() => undefined);
  await server?.close();
  await dropRedisPrefix(prefix);
  await db?.drop();
});

async function post(bearer: string, body: unknown) {
  const res = await fetch(server.mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${bearer}`,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
}

async function trpcList(user: TestUser, idToken: string, businessId: string) {
  const input = encodeURIComponent(JSON.stringify({ json: { businessId } }));
  const res = await fetch(`${server.baseUrl}/trpc/intents.list?input=${input}`, {
    headers: { authorization: `Bearer ${idToken}` },
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
}

describe('PostgreSQL unreachable', () => {
  it('answers 503 + Retry-After everywhere, never 500, and writes the audit trail once back', async () => {
    const { business, products } = await createBusiness(db.prisma);
    const user = await createUser(db.prisma, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
    });
    const idToken = await user.idToken();
    const { key: heldKey } = await createKey(db.prisma, { businessId: business.id });
    // A key this instance has never seen: verifying it needs PostgreSQL.
    const { key: freshKey } = await createKey(db.prisma, { businessId: business.id });
    held = await connectClient(server.mcpUrl, heldKey, { name: 'held' });
    expect((await trpcList(user, idToken, business.id)).status).toBe(200);

    await proxy.cut();

    const refused = await post(freshKey, initializeBody());
    expect(refused.status, refused.text).toBe(503);
    expect(refused.retryAfter).toBe('1');
    expect(JSON.parse(refused.text)).toMatchObject({
      jsonrpc: '2.0',
      error: { message: expect.stringMatching(/try again shortly/) },
    });

    const console = await trpcList(user, idToken, business.id);
    expect(console.status, console.text).toBe(503);
    expect(console.retryAfter).toBe('1');

    // A held session (key cached) reaches the tool, which cannot read the catalog.
    const result = await held.client.callTool({
      name: 'get_product',
      arguments: { sku: products[0]!.sku },
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/unavailable.*try again shortly/);

    const ready = await fetch(`${server.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', database: 'down' });

    await proxy.resume();
    await waitFor(async () => (await post(freshKey, initializeBody())).status === 200, {
      timeoutMs: 30_000,
      what: 'initialize accepted once PostgreSQL is back',
    });
    expect((await trpcList(user, idToken, business.id)).status).toBe(200);
    // The tool call answered during the outage has its audit event, written after the return.
    await waitFor(
      async () =>
        (await db.prisma.auditEvent.count({
          where: {
            action: 'mcp.tools_call',
            businessId: business.id,
            details: { path: ['error'], equals: 'dependency unavailable' },
          },
        })) === 1,
      { timeoutMs: 30_000, what: 'the buffered audit event written' },
    );
  });
});
