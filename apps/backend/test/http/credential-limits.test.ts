// Merchants' limits per credential over HTTP, on two instances sharing
// PostgreSQL and Redis, both eras (a v1 SDK client on 2025 sessions, a v2
// SDK client on 2026-07-28): a key's calls-per-minute override is its budget
// (429 + Retry-After, counted across instances), daily caps on proposals
// refuse with a tool error naming the cap, its value and its reset, counts
// are shared, and an idempotent retry is not counted twice. Then the same
// on the embedded default (PGlite, counters in memory).
import { randomUUID } from 'node:crypto';
import type { Client as V2Client } from '@modelcontextprotocol/client';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import type { Db } from '@flowpos/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createKey } from '../support/fixtures.ts';
import { startEmbeddedHarness, type ServerHarness } from '../support/harness.ts';
import { initializeBody, mcpRequest } from '../support/raw-http.ts';
import { connectClient, connectModernClient, toolText } from '../support/mcp-client.ts';
import { authorizedTokens } from '../support/oauth-flow.ts';
import { waitFor } from '../support/poll.ts';
import { startTestServer, uniquePrefix, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let a: TestServer;
let b: TestServer;
let embedded: ServerHarness;
const v2Clients: V2Client[] = [];

beforeAll(async () => {
  database = await createTestDatabase('credential-limits');
  const common = { databaseUrl: database.url, redis: true, redisKeyPrefix: uniquePrefix('cl') };
  a = await startTestServer(common);
  b = await startTestServer(common);
});
// PGlite migrates at start: slow on a busy machine.
beforeAll(async () => {
  embedded = await startEmbeddedHarness('credential-limits');
}, 180_000);
afterAll(async () => {
  for (const client of v2Clients) await client.close().catch(() => undefined);
  for (const server of [a, b]) await server?.close();
  await embedded?.close();
  await database?.drop();
});

async function modern(mcpUrl: string, key: string): Promise<V2Client> {
  const client = await connectModernClient(mcpUrl, key);
  v2Clients.push(client);
  return client;
}

/** A business in New York with defaults, and a key with its own overrides. */
async function setup(
  db: Db,
  defaults: Record<string, number | null> = {},
  own: Record<string, number | null> = {},
) {
  const biz = await createBusiness(db);
  await db.business.update({
    where: { id: biz.business.id },
    data: { timeZone: 'America/New_York', ...defaults },
  });
  const { key, row } = await createKey(db, { businessId: biz.business.id });
  await db.apiKey.update({ where: { id: row.id }, data: own });
  return { ...biz, key, keyId: row.id };
}

const sale = (productId: string, idempotencyKey?: string) => ({
  name: 'create_sale_intent',
  arguments: { lines: [{ productId, quantity: 1 }], ...(idempotencyKey ? { idempotencyKey } : {}) },
});

describe('calls per minute per credential', () => {
  it('a key’s override is its budget on both instances: then 429 with Retry-After', async () => {
    const { key } = await setup(database.prisma, { callsPerMinute: 1000 }, { callsPerMinute: 4 });
    for (const server of [a, a, b, b]) {
      const res = await mcpRequest(server.mcpUrl, { bearer: key, body: initializeBody() });
      expect(res.status).toBe(200);
    }
    for (const server of [a, b]) {
      const res = await mcpRequest(server.mcpUrl, { bearer: key, body: initializeBody() });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.json.error.message).toMatch(/^Too many requests: retry in \d+ s$/);
    }
  });

  it('the secrets of a rolled key spend one budget during the overlap', async () => {
    const db = database.prisma;
    const { key: old, keyId, business } = await setup(db, {}, { callsPerMinute: 4 });
    // A roll as the product stores it: a new secret, the old one pointing to it until its overlap ends.
    const { key: newest, row } = await createKey(db, { businessId: business.id });
    await db.apiKey.update({ where: { id: row.id }, data: { callsPerMinute: 4 } });
    await db.apiKey.update({
      where: { id: keyId },
      data: { replacedById: row.id, expiresAt: new Date(Date.now() + 3_600_000) },
    });
    const status = async (server: TestServer, bearer: string) =>
      (await mcpRequest(server.mcpUrl, { bearer, body: initializeBody() })).status;
    for (const [server, bearer] of [
      [a, old],
      [b, newest],
      [a, newest],
      [b, old],
    ] as const)
      expect(await status(server, bearer)).toBe(200);
    expect(await status(a, old)).toBe(429);
    expect(await status(b, newest)).toBe(429);
  });

  it('the business default applies to a key without its own figure (2026, v2 client)', async () => {
    const { key } = await setup(database.prisma, { callsPerMinute: 3 });
    const client = await modern(b.mcpUrl, key);
    let refused: unknown = null;
    let served = 0;
    for (let i = 0; i < 6 && !refused; i++) {
      await client.callTool({ name: 'whoami', arguments: {} }).then(
        () => served++,
        (error: unknown) => (refused = error),
      );
    }
    expect(served).toBeLessThanOrEqual(3);
    expect(String(refused)).toMatch(/429|Too many requests/);
  });

  it('a 2025 session (v1 client) over its key’s budget is refused with 429', async () => {
    const { key } = await setup(database.prisma, {}, { callsPerMinute: 5 });
    const session = await connectClient(a.mcpUrl, key);
    let refused: unknown = null;
    for (let i = 0; i < 8 && !refused; i++) {
      await session.client.callTool({ name: 'whoami', arguments: {} }).catch((e: unknown) => {
        refused = e;
      });
    }
    await session.close();
    expect(String(refused)).toMatch(/429|Too many requests/);
  });
});

describe('daily caps on proposals', () => {
  it('counts across instances and eras; over the cap, a tool error names the cap, its value and the reset', async () => {
    const { key, products } = await setup(
      database.prisma,
      { saleIntentsPerDay: 5 },
      { saleIntentsPerDay: 2 },
    );
    const session = await connectClient(a.mcpUrl, key);
    const onB = await modern(b.mcpUrl, key);
    const productId = products[0]!.id;
    expect((await session.client.callTool(sale(productId))).isError).toBeFalsy();
    expect((await onB.callTool(sale(productId))).isError).toBeFalsy();
    for (const call of [
      () => session.client.callTool(sale(productId)),
      () => onB.callTool(sale(productId)),
    ]) {
      const refused = await call();
      expect(refused.isError).toBe(true);
      const text = toolText(refused);
      expect(text).toContain('sale intents per day (saleIntentsPerDay) is 2 for this API key');
      expect(text).toContain('2 already proposed today');
      expect(text).toMatch(
        /resets at \d{4}-\d\d-\d\dT00:00:00-0[45]:00 America\/New_York \(\d{4}-\d\d-\d\dT0[45]:00:00\.000Z\)/,
      );
    }
    await session.close();
    const intents = await database.prisma.intent.count({
      where: { createdBy: { startsWith: 'key:' }, businessId: products[0]!.businessId },
    });
    expect(intents).toBe(2);
  });

  it('an idempotent retry (on the other instance) is not counted twice', async () => {
    const { key, products } = await setup(database.prisma, {}, { saleIntentsPerDay: 1 });
    const productId = products[0]!.id;
    const session = await connectClient(a.mcpUrl, key);
    const onB = await modern(b.mcpUrl, key);
    const idem = randomUUID();
    const first = await session.client.callTool(sale(productId, idem));
    const retry = await onB.callTool(sale(productId, idem));
    expect(first.isError).toBeFalsy();
    expect(retry.isError).toBeFalsy();
    expect((retry.structuredContent as { id: string }).id).toBe(
      (first.structuredContent as { id: string }).id,
    );
    const another = await onB.callTool(sale(productId));
    expect(another.isError).toBe(true);
    expect(toolText(another)).toContain('(saleIntentsPerDay) is 1');
    await session.close();
  });

  it('refund amount per day: the refusal states the cap in the business currency', async () => {
    const { key, order } = await setup(database.prisma, { refundCentsPerDay: 600 });
    const onB = await modern(b.mcpUrl, key);
    const refund = (amountCents: number) =>
      onB.callTool({
        name: 'create_refund_intent',
        arguments: { orderId: order.id, reason: 'damaged', amountCents },
      });
    expect((await refund(400)).isError).toBeFalsy();
    const refused = await refund(300);
    expect(refused.isError).toBe(true);
    expect(toolText(refused)).toContain('refund amount per day (refundCentsPerDay) is $6.00');
    expect(toolText(refused)).toContain('$4.00 already proposed today, this refund $3.00');
    // What was refused was not counted: 200 more still fit.
    expect((await refund(200)).isError).toBeFalsy();
  });

  it('a change announced on one instance (limits.changed) applies at once on the other', async () => {
    const { key, keyId, products, business } = await setup(database.prisma);
    const onA = await modern(a.mcpUrl, key);
    const productId = products[0]!.id;
    expect((await onA.callTool(sale(productId))).isError).toBeFalsy();
    await database.prisma.business.update({
      where: { id: business.id },
      data: { saleIntentsPerDay: 1 },
    });
    const credential = `key:${keyId}`;
    // A's cache held the old limits (the first call read them).
    expect(a.services.limits?.credentials.peek(credential, business.id)).toBeDefined();
    await b.services.core.events.publish({ type: 'limits.changed', businessId: business.id });
    await waitFor(
      () => a.services.limits?.credentials.peek(credential, business.id) === undefined,
      {
        what: 'A to drop the cached limits',
      },
    );
    const refused = await onA.callTool(sale(productId));
    expect(refused.isError).toBe(true);
    expect(toolText(refused)).toContain('(saleIntentsPerDay) is 1');
  });
});

describe('a connected app (OAuth grant)', () => {
  it('its own cap and calls per minute apply, whichever era the client speaks', async () => {
    const t = await authorizedTokens({
      kind: 'postgresql',
      db: database.prisma,
      server: a,
      close: async () => undefined,
    });
    const grant = await database.prisma.oAuthGrant.findFirstOrThrow({
      where: { businessId: t.businessId },
    });
    await database.prisma.business.update({
      where: { id: t.businessId },
      data: { saleIntentsPerDay: 10, callsPerMinute: 1000 },
    });
    await database.prisma.oAuthGrant.update({
      where: { id: grant.id },
      data: { saleIntentsPerDay: 1, callsPerMinute: 8 },
    });
    const product = await database.prisma.product.findFirstOrThrow({
      where: { businessId: t.businessId },
    });
    const session = await connectClient(a.mcpUrl, t.accessToken);
    expect((await session.client.callTool(sale(product.id))).isError).toBeFalsy();
    const onModern = await modern(a.mcpUrl, t.accessToken);
    const refused = await onModern.callTool(sale(product.id));
    expect(refused.isError).toBe(true);
    expect(toolText(refused)).toContain('(saleIntentsPerDay) is 1 for this connected app');
    let limited: unknown = null;
    for (let i = 0; i < 10 && !limited; i++) {
      await onModern.callTool({ name: 'whoami', arguments: {} }).catch((e: unknown) => {
        limited = e;
      });
    }
    expect(String(limited)).toMatch(/429|Too many requests/);
    await session.close();
  });
});

describe('the embedded default (PGlite, counters in memory)', () => {
  it('caps and the per-minute override hold without Redis', async () => {
    const { key, products } = await setup(
      embedded.db,
      {},
      { saleIntentsPerDay: 1, callsPerMinute: 6 },
    );
    const session = await connectClient(embedded.server.mcpUrl, key);
    const productId = products[0]!.id;
    expect((await session.client.callTool(sale(productId))).isError).toBeFalsy();
    const refused = await session.client.callTool(sale(productId));
    expect(refused.isError).toBe(true);
    expect(toolText(refused)).toContain('(saleIntentsPerDay) is 1');
    let limited: unknown = null;
    for (let i = 0; i < 8 && !limited; i++) {
      await session.client.callTool({ name: 'whoami', arguments: {} }).catch((e: unknown) => {
        limited = e;
      });
    }
    expect(String(limited)).toMatch(/429|Too many requests/);
    await session.close();
  });
});
