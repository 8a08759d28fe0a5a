// DESIGN "Every tool runs against the session's active business only; no input
// can reach another tenant's data": a key for business A tries every tool with
// ids from business B; B's data is unchanged afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createKey, createUser, unique } from '../support/fixtures.ts';
import { connectClient, toolJson, toolText, type ConnectedClient } from '../support/mcp-client.ts';
import { useHarness } from '../support/harness.ts';
import { exchangeToken } from '../support/raw-http.ts';

const h = useHarness('tenancy');
let a: Awaited<ReturnType<typeof createBusiness>>;
let b: Awaited<ReturnType<typeof createBusiness>>;
let intentB: { id: string };
let clientA: ConnectedClient;

async function snapshotB() {
  const id = b.business.id;
  return {
    business: await h.db.business.findUniqueOrThrow({ where: { id } }),
    products: await h.db.product.findMany({ where: { businessId: id }, orderBy: { id: 'asc' } }),
    orders: await h.db.order.findMany({
      where: { businessId: id },
      orderBy: { id: 'asc' },
      include: { lines: true },
    }),
    intents: await h.db.intent.findMany({ where: { businessId: id }, orderBy: { id: 'asc' } }),
  };
}
let before: Awaited<ReturnType<typeof snapshotB>>;

beforeAll(async () => {
  a = await createBusiness(h.db, unique('A Tenant'));
  b = await createBusiness(h.db, unique('B Tenant'));
  intentB = await h.db.intent.create({
    data: {
      businessId: b.business.id,
      kind: 'sale',
      payload: { lines: [], totalCents: 0 },
      createdBy: 'key:someone-else',
    },
  });
  const { key } = await createKey(h.db, { businessId: a.business.id });
  clientA = await connectClient(h.server.mcpUrl, key);
  before = await snapshotB();
});
afterAll(async () => {
  await clientA?.close();
});

async function call(name: string, args: Record<string, unknown>, client = clientA) {
  return client.client.callTool({ name, arguments: args });
}

describe('a key for business A cannot reach business B', () => {
  it('get_product with B product ids → not found; a shared sku resolves to A', async () => {
    for (const product of b.products) {
      const res = await call('get_product', { productId: product.id });
      expect(res.isError).toBe(true);
      expect(toolText(res)).toBe('Product not found in the active business');
    }
    const bySku = await call('get_product', { sku: 'SKU-0' });
    expect(bySku.isError).toBeFalsy();
    expect(toolJson<{ id: string }>(bySku).id).toBe(a.products[0]?.id);
  });

  it('list_products and list_orders show A only', async () => {
    const products = toolJson<{ products: { id: string }[] }>(
      await call('list_products', { limit: 200 }),
    ).products.map((p) => p.id);
    expect(products.sort()).toEqual(a.products.map((p) => p.id).sort());
    const orders = toolJson<{ orders: { id: string }[] }>(
      await call('list_orders', { limit: 100 }),
    ).orders.map((o) => o.id);
    expect(orders).toEqual([a.order.id]);
    expect(orders).not.toContain(b.order.id);
  });

  it('create_refund_intent for a B order → not found, nothing written', async () => {
    const intentsBefore = await h.db.intent.count();
    const res = await call('create_refund_intent', { orderId: b.order.id, reason: 'cross-tenant' });
    expect(res.isError).toBe(true);
    expect(toolText(res)).toBe('Order not found in the active business');
    expect(await h.db.intent.count()).toBe(intentsBefore);
  });

  it('create_sale_intent with B products → not found, nothing written', async () => {
    const intentsBefore = await h.db.intent.count();
    const productId = b.products[0]?.id as string;
    const res = await call('create_sale_intent', { lines: [{ productId, quantity: 1 }] });
    expect(res.isError).toBe(true);
    expect(toolText(res)).toBe(`Product ${productId} not found in the active business`);
    // Mixed with an A product: still refused as a whole.
    const mixed = await call('create_sale_intent', {
      lines: [
        { productId: a.products[0]?.id, quantity: 1 },
        { productId, quantity: 1 },
      ],
    });
    expect(mixed.isError).toBe(true);
    expect(await h.db.intent.count()).toBe(intentsBefore);
  });

  it('cancel_intent on a B intent → not found; list_intents does not show it', async () => {
    const res = await call('cancel_intent', { intentId: intentB.id });
    expect(res.isError).toBe(true);
    expect(toolText(res)).toBe('Intent not found in this business');
    const listed = toolJson<{ intents: { id: string }[] }>(
      await call('list_intents', {}),
    ).intents.map((i) => i.id);
    expect(listed).not.toContain(intentB.id);
  });

  it('get_sales_summary counts A orders only', async () => {
    const summary = toolJson<{ orderCount: number }>(
      await call('get_sales_summary', {
        from: new Date(Date.now() - 7 * 86_400_000).toISOString(),
        to: new Date().toISOString(),
      }),
    );
    expect(summary.orderCount).toBe(1);
  });

  it('set_active_business to B: not offered to a one-business key, refused when called', async () => {
    const res = await call('set_active_business', { businessId: b.business.id });
    expect(res.isError).toBe(true);
    expect(toolText(res)).toBe('MCP error -32602: Tool set_active_business not found');
    const whoami = toolJson<{ activeBusiness: { id: string } }>(await call('whoami', {}));
    expect(whoami.activeBusiness.id).toBe(a.business.id);
  });

  it('a user with two businesses cannot switch to a third one they are not authorized for', async () => {
    const c = await createBusiness(h.db, unique('C Tenant'), 1);
    const user = await createUser(h.db, {
      memberships: [
        { businessId: a.business.id, role: 'merchant' },
        { businessId: c.business.id, role: 'merchant' },
      ],
      label: 'tenant',
    });
    const token = (await exchangeToken(h.server.baseUrl, await user.idToken())).json
      .token as string;
    const client = await connectClient(h.server.mcpUrl, token);
    try {
      const res = await call('set_active_business', { businessId: b.business.id }, client);
      expect(res.isError).toBe(true);
      expect(toolText(res)).toBe('This business is not one you are authorized for');
      const whoami = toolJson<{ activeBusiness: { id: string } }>(await call('whoami', {}, client));
      expect(whoami.activeBusiness.id).toBe(a.business.id);
      // And B's data stays out of reach after the attempt.
      const product = await call('get_product', { productId: b.products[0]?.id }, client);
      expect(product.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("B's data is unchanged after every attempt", async () => {
    expect(await snapshotB()).toEqual(before);
    expect(before.intents).toHaveLength(1);
    expect(before.intents[0]?.status).toBe('pending');
  });
});
