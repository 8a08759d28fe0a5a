// Tool logic through a real MCP client and server over an in-memory transport,
// against a real PostgreSQL database: what a model sees and what changes.
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/actor.ts';
import { createAuditLog, type AuditLog } from '../../src/audit.ts';
import { decideIntent } from '../../src/pos/intent-decisions.ts';
import type { Principal } from '../../src/principal.ts';
import { merchantKey, TEST_CONSOLE_URL, toolClients } from '../support/tool-client.ts';

let db: TestDatabase;
let audit: AuditLog;
let connect: ReturnType<typeof toolClients>;
let a: { id: string; productIds: string[]; orderId: string };
let b: { id: string; productIds: string[]; orderId: string };

async function business(name: string) {
  const biz = await db.prisma.business.create({ data: { name } });
  const product = (
    sku: string,
    item: string,
    priceCents: number,
    stock: number,
    category: string,
  ) =>
    db.prisma.product.create({
      data: { businessId: biz.id, sku, name: `${name} ${item}`, priceCents, stock, category },
    });
  const p1 = await product('LAT', 'Latte', 450, 10, 'coffee');
  const p2 = await product('CRO', 'Croissant', 300, 5, 'pastry');
  const order = await db.prisma.order.create({
    data: {
      businessId: biz.id,
      totalCents: 1200,
      placedAt: new Date('2026-11-10T10:00:00Z'),
      lines: {
        create: [
          { productId: p1.id, quantity: 2, unitPriceCents: 450 },
          { productId: p2.id, quantity: 1, unitPriceCents: 300 },
        ],
      },
    },
  });
  return { id: biz.id, productIds: [p1.id, p2.id], orderId: order.id };
}

beforeAll(async () => {
  db = await createTestDatabase('tools');
  audit = createAuditLog(db.prisma);
  connect = toolClients(db, audit);
  a = await business('Alpha Cafe');
  b = await business('Beta Bakery');
});

afterAll(async () => {
  await audit.close();
  await db.drop();
});

describe('POS tools', () => {
  it('read tools see only the active business', async () => {
    const { call } = await connect(merchantKey(a.id));
    const products = (await call('list_products')).json().products as { id: string }[];
    expect(products.map((p) => p.id).sort()).toEqual([...a.productIds].sort());
    expect((await call('get_product', { sku: 'LAT' })).json().id).toBe(a.productIds[0]);
    const other = await call('get_product', { productId: b.productIds[0] });
    expect(other.isError).toBe(true);
    expect(other.text).toMatch(/not found/i);
    const orders = (await call('list_orders')).json().orders as { id: string }[];
    expect(orders.map((o) => o.id)).toEqual([a.orderId]);
  });

  it('get_sales_summary adds up the range', async () => {
    const { call } = await connect(merchantKey(a.id));
    const summary = (
      await call('get_sales_summary', { from: '2026-11-01', to: '2026-11-30' })
    ).json();
    expect(summary).toMatchObject({
      orderCount: 1,
      revenueCents: 1200,
      averageOrderCents: 1200,
      refundedOrderCount: 0,
    });
    expect(summary.topProducts[0]).toMatchObject({ productId: a.productIds[0], quantity: 2 });
    const empty = (
      await call('get_sales_summary', { from: '2025-01-01', to: '2025-01-31' })
    ).json();
    expect(empty).toMatchObject({ orderCount: 0, revenueCents: 0 });
    const backwards = await call('get_sales_summary', { from: '2026-11-30', to: '2026-11-01' });
    expect(backwards.isError).toBe(true);
    expect(backwards.text).toBe('`to` is before `from`: give a range with from <= to');
  });

  it('a sale intent is pending until a merchant approves it, which creates the order', async () => {
    const { call } = await connect(merchantKey(a.id));
    const intent = (
      await call('create_sale_intent', {
        lines: [{ productId: a.productIds[1], quantity: 2 }],
        note: 'table 4',
      })
    ).json();
    expect(intent).toMatchObject({ kind: 'sale', status: 'pending' });
    expect(intent.payload.totalCents).toBe(600);
    expect(await db.prisma.order.count({ where: { businessId: a.id } })).toBe(1);

    const crossTenant = await call('create_sale_intent', {
      lines: [{ productId: b.productIds[0], quantity: 1 }],
    });
    expect(crossTenant.isError).toBe(true);

    const merchant: Actor = {
      userId: (
        await db.prisma.user.create({ data: { email: 'm@alpha.test', firebaseUid: 'uid-m-alpha' } })
      ).id,
      email: 'm@alpha.test',
      isPlatformOperator: false,
      tokenGeneration: 0,
      memberships: [{ businessId: a.id, businessName: 'Alpha Cafe', role: 'merchant' }],
    };
    const approved = await decideIntent(
      { db: db.prisma, audit },
      merchant,
      { businessId: a.id, intentId: intent.id },
      'approve',
    );
    expect(approved.status).toBe('approved');
    const order = await db.prisma.order.findUniqueOrThrow({
      where: { id: approved.orderId as string },
      include: { lines: true },
    });
    expect(order.totalCents).toBe(600);
    expect(
      (await db.prisma.product.findUniqueOrThrow({ where: { id: a.productIds[1] } })).stock,
    ).toBe(3);
    const again = await call('cancel_intent', { intentId: intent.id });
    expect(again.isError).toBe(true);
    expect(again.text).toBe('This intent is already approved');
  });

  it('refund and cancel intents stay within the business', async () => {
    const { call } = await connect(merchantKey(a.id));
    const refund = (
      await call('create_refund_intent', {
        orderId: a.orderId,
        reason: 'cold coffee',
        amountCents: 450,
      })
    ).json();
    expect(refund).toMatchObject({ kind: 'refund', status: 'pending' });
    expect(
      (await call('create_refund_intent', { orderId: a.orderId, reason: 'x', amountCents: 99_999 }))
        .isError,
    ).toBe(true);
    expect((await call('create_refund_intent', { orderId: b.orderId, reason: 'x' })).isError).toBe(
      true,
    );
    expect((await call('cancel_intent', { intentId: refund.id })).json().status).toBe('cancelled');
    const listed = (await call('list_intents', { status: 'cancelled' })).json().intents as {
      id: string;
    }[];
    expect(listed.map((i) => i.id)).toContain(refund.id);
    const bIntents = await db.prisma.intent.count({ where: { businessId: b.id } });
    expect(bIntents).toBe(0);
  });

  it('set_active_business accepts only authorized businesses and changes what tools read', async () => {
    const p: Principal = {
      ...merchantKey(a.id),
      kind: 'token',
      credentialId: 'user:u1',
      authorizedBusinessIds: [a.id, b.id],
      businessRoles: { [a.id]: 'merchant', [b.id]: 'merchant' },
    };
    const { call, client } = await connect(p);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('set_active_business');
    expect((await call('set_active_business', { businessId: b.id })).json().activeBusiness.id).toBe(
      b.id,
    );
    expect((await call('whoami')).json().activeBusiness.id).toBe(b.id);
    expect((await call('list_orders')).json().orders[0].id).toBe(b.orderId);
    const refused = await call('set_active_business', {
      businessId: '00000000-0000-4000-8000-000000000000',
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toBe('This business is not one you are authorized for');
  });

  it('a hidden tool fails exactly like an unknown tool', async () => {
    const { call } = await connect({
      ...merchantKey(a.id),
      role: 'tenant_developer',
      scopes: ['pos:read'],
    });
    // SDK 2 answers an unknown tool with a JSON-RPC error (-32602), as the spec says.
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => 'answered',
        (error: Error) => error.message,
      );
    const hidden = await failure(
      call('create_sale_intent', { lines: [{ productId: a.productIds[0], quantity: 1 }] }),
    );
    const unknown = await failure(call('no_such_tool', {}));
    expect(hidden).toContain('create_sale_intent');
    expect(hidden.replace('create_sale_intent', 'X')).toBe(unknown.replace('no_such_tool', 'X'));
  });

  it('records every tools/call in the audit log', async () => {
    const { call } = await connect(merchantKey(a.id));
    await call('whoami');
    await call('get_product', { productId: b.productIds[0] });
    await audit.flush();
    const rows = await db.prisma.auditEvent.findMany({
      where: { action: 'mcp.tools_call', businessId: a.id },
      orderBy: { createdAt: 'desc' },
      take: 2,
    });
    const byTool = Object.fromEntries(rows.map((r) => [(r.details as { tool: string }).tool, r]));
    expect(byTool.whoami?.outcome).toBe('success');
    expect(byTool.get_product?.outcome).toBe('failure');
    expect(typeof (byTool.whoami?.details as { durationMs: number }).durationMs).toBe('number');
  });

  it("end_of_day_report: the day's sales net of refunds by hour, low stock, pending intents with their console page", async () => {
    const merchant = await connect(merchantKey(a.id));
    const proposed = (
      await merchant.call('create_sale_intent', {
        lines: [{ productId: a.productIds[0], quantity: 1 }],
      })
    ).json();
    expect(proposed).toMatchObject({
      amountCents: 450,
      currency: 'USD',
      proposedBy: { ref: 'key:k1' },
      consoleUrl: `${TEST_CONSOLE_URL}/intents/${proposed.id}?business=${a.id}`,
    });
    const report = (
      await merchant.call('end_of_day_report', { date: '2026-11-10', lowStockThreshold: 5 })
    ).json();
    expect(report.business).toMatchObject({ id: a.id, currency: 'USD', timeZone: 'UTC' });
    expect(report.sales).toMatchObject({ orderCount: 1, revenueCents: 1200 });
    expect(report.sales.chart.unit).toBe('hour');
    expect(report.sales.chart.points[10]).toEqual({ key: '10', netCents: 1200, orderCount: 1 });
    expect(report.paymentMix).toBeNull();
    expect(report.lowStock.products.map((p: { sku: string }) => p.sku)).toEqual(['CRO']);
    expect(report.pendingIntents.intents.map((i: { id: string }) => i.id)).toContain(proposed.id);
    expect(report.pendingIntents.count).toBeGreaterThanOrEqual(1);

    // A caller that cannot see intents hears nothing of them.
    const reader = await connect({ ...merchantKey(a.id), scopes: ['pos:read'] });
    const quiet = (await reader.call('end_of_day_report', { date: '2026-11-10' })).json();
    expect(quiet.pendingIntents).toBeNull();
    expect(quiet.sales.revenueCents).toBe(1200);
  });
});
