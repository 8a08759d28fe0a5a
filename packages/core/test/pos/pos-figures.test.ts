// The figures a merchant trusts, through a real MCP client on PostgreSQL:
// partial refunds, stock that never goes negative by surprise, and dates read
// as whole days in the business's time zone.
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/actor.ts';
import { createAuditLog, type AuditLog } from '../../src/audit.ts';
import { decideIntent } from '../../src/pos/intent-decisions.ts';
import { merchantKey, toolClients } from '../support/tool-client.ts';

let db: TestDatabase;
let audit: AuditLog;
let connect: ReturnType<typeof toolClients>;
let merchant: Actor;

async function business(name: string, data: { timeZone?: string } = {}) {
  const biz = await db.prisma.business.create({ data: { name, ...data } });
  const product = await db.prisma.product.create({
    data: { businessId: biz.id, sku: 'BOX', name: 'Gift box', priceCents: 5200, stock: 60 },
  });
  return { id: biz.id, productId: product.id };
}

async function order(businessId: string, productId: string, placedAt: string, cents = 5200) {
  return db.prisma.order.create({
    data: {
      businessId,
      totalCents: cents,
      placedAt: new Date(placedAt),
      lines: { create: [{ productId, quantity: 1, unitPriceCents: cents }] },
    },
  });
}

function merchantOf(businessId: string): Actor {
  return { ...merchant, memberships: [{ businessId, businessName: 'x', role: 'merchant' }] };
}

const decide = (businessId: string, intentId: string, decision: 'approve' | 'reject' = 'approve') =>
  decideIntent(
    { db: db.prisma, audit },
    merchantOf(businessId),
    { businessId, intentId },
    decision,
  );

beforeAll(async () => {
  db = await createTestDatabase('figures');
  audit = createAuditLog(db.prisma);
  connect = toolClients(db, audit);
  const user = await db.prisma.user.create({
    data: { email: 'm@figures.test', firebaseUid: 'uid-figures' },
  });
  merchant = {
    userId: user.id,
    email: user.email,
    isPlatformOperator: false,
    tokenGeneration: 0,
    memberships: [],
  };
});

afterAll(async () => {
  await audit.close();
  await db.drop();
});

describe('partial refunds', () => {
  it('a refund of 100 cents on a $52.00 order takes $1.00 off, not the order', async () => {
    const biz = await business('Refund Shop');
    const o = await order(biz.id, biz.productId, '2026-11-10T12:00:00Z');
    const { call } = await connect(merchantKey(biz.id));
    const intent = (
      await call('create_refund_intent', { orderId: o.id, reason: 'dent', amountCents: 100 })
    ).json();
    await decide(biz.id, intent.id);

    const listed = (await call('list_orders')).json().orders[0];
    expect(listed).toMatchObject({
      id: o.id,
      status: 'partially_refunded',
      totalCents: 5200,
      refundedCents: 100,
      netCents: 5100,
    });
    const summary = (
      await call('get_sales_summary', { from: '2026-11-01', to: '2026-11-30' })
    ).json();
    expect(summary).toMatchObject({
      orderCount: 1,
      grossCents: 5200,
      refundedCents: 100,
      revenueCents: 5100,
      refundedOrderCount: 1,
    });
    expect(
      (await call('list_orders', { status: 'partially_refunded' })).json().orders,
    ).toHaveLength(1);

    const tooMuch = await call('create_refund_intent', {
      orderId: o.id,
      reason: 'all of it',
      amountCents: 5101,
    });
    expect(tooMuch).toMatchObject({ isError: true });
    expect(tooMuch.text).toBe(
      'A refund of $51.01 exceeds what remains refundable on this order ($51.00 of $52.00)',
    );

    const rest = (await call('create_refund_intent', { orderId: o.id, reason: 'rest' })).json();
    expect(rest.payload.amountCents).toBe(5100);
    await decide(biz.id, rest.id);
    expect((await call('list_orders')).json().orders[0]).toMatchObject({
      status: 'refunded',
      refundedCents: 5200,
      netCents: 0,
    });
    expect(
      (await call('get_sales_summary', { from: '2026-11-01', to: '2026-11-30' })).json(),
    ).toMatchObject({ orderCount: 0, revenueCents: 0, refundedCents: 5200 });
    const none = await call('create_refund_intent', { orderId: o.id, reason: 'again' });
    expect(none).toMatchObject({ isError: true, text: 'This order is already fully refunded' });
  });

  it('refunds approved one after the other cannot pass the order total (409)', async () => {
    const biz = await business('Race Refunds');
    const o = await order(biz.id, biz.productId, '2026-11-10T12:00:00Z');
    const { call } = await connect(merchantKey(biz.id));
    const first = (
      await call('create_refund_intent', { orderId: o.id, reason: 'a', amountCents: 3000 })
    ).json();
    const second = (
      await call('create_refund_intent', { orderId: o.id, reason: 'b', amountCents: 3000 })
    ).json();
    const results = await Promise.allSettled([decide(biz.id, first.id), decide(biz.id, second.id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'CONFLICT', status: 409 });
    expect(await db.prisma.order.findUniqueOrThrow({ where: { id: o.id } })).toMatchObject({
      refundedCents: 3000,
      status: 'partially_refunded',
    });
    expect(await db.prisma.intent.count({ where: { orderId: o.id, status: 'pending' } })).toBe(1);
  });
});

describe('stock', () => {
  it('a sale intent states the stock and refuses more than there is', async () => {
    const biz = await business('Stock Shop');
    const { call } = await connect(merchantKey(biz.id));
    const refused = await call('create_sale_intent', {
      lines: [{ productId: biz.productId, quantity: 1000 }],
    });
    expect(refused).toMatchObject({
      isError: true,
      text: 'Not enough stock: BOX has 60 in stock, 1000 asked',
    });
    expect(await db.prisma.intent.count({ where: { businessId: biz.id } })).toBe(0);

    const ok = (
      await call('create_sale_intent', { lines: [{ productId: biz.productId, quantity: 50 }] })
    ).json();
    expect(ok.stock).toEqual([
      { productId: biz.productId, sku: 'BOX', requested: 50, inStock: 60 },
    ]);
  });

  it('approval re-checks the stock atomically: of two sales for 50 of 60, one wins (409)', async () => {
    const biz = await business('Stock Race');
    const { call } = await connect(merchantKey(biz.id));
    const propose = async () =>
      (
        await call('create_sale_intent', { lines: [{ productId: biz.productId, quantity: 50 }] })
      ).json().id as string;
    const [x, y] = [await propose(), await propose()];
    const results = await Promise.allSettled([decide(biz.id, x), decide(biz.id, y)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'CONFLICT', status: 409 });
    expect((refused?.reason as Error).message).toMatch(/BOX has 10 in stock, 50 asked/);
    expect(
      (await db.prisma.product.findUniqueOrThrow({ where: { id: biz.productId } })).stock,
    ).toBe(10);
    expect(await db.prisma.order.count({ where: { businessId: biz.id } })).toBe(1);
  });

  it('a business that allows backorders may sell beyond its stock, on purpose', async () => {
    const biz = await business('Backorder Shop');
    await db.prisma.business.update({ where: { id: biz.id }, data: { allowBackorders: true } });
    const { call } = await connect(merchantKey(biz.id));
    const intent = (
      await call('create_sale_intent', { lines: [{ productId: biz.productId, quantity: 100 }] })
    ).json();
    expect(intent.stock[0]).toMatchObject({ requested: 100, inStock: 60 });
    await decide(biz.id, intent.id);
    expect(
      (await db.prisma.product.findUniqueOrThrow({ where: { id: biz.productId } })).stock,
    ).toBe(-40);
  });
});

describe('dates in the business time zone', () => {
  let biz: { id: string; productId: string };
  let evening: string;

  beforeAll(async () => {
    biz = await business('Pacific Deli', { timeZone: 'America/Los_Angeles' });
    // 20:00 on Nov 29 in Los Angeles is Nov 30 in UTC; 23:00 on Nov 28 is Nov 29 in UTC.
    evening = (await order(biz.id, biz.productId, '2026-11-30T04:00:00Z')).id;
    await order(biz.id, biz.productId, '2026-11-29T07:00:00Z', 1000);
  });

  it('from=to=a date means that whole local day, in every tool', async () => {
    const { call } = await connect(merchantKey(biz.id));
    const day = { from: '2026-11-29', to: '2026-11-29' };
    const orders = (await call('list_orders', day)).json();
    expect(orders.timeZone).toBe('America/Los_Angeles');
    expect(orders.orders.map((o: { id: string }) => o.id)).toEqual([evening]);
    expect(orders.orders[0].placedAtLocal).toBe('2026-11-29T20:00:00-08:00');
    expect((await call('get_sales_summary', day)).json()).toMatchObject({
      timeZone: 'America/Los_Angeles',
      orderCount: 1,
      revenueCents: 5200,
      fromInstant: '2026-11-29T08:00:00.000Z',
      toInstantExclusive: '2026-11-30T08:00:00.000Z',
    });
    const morning = await call('list_orders', { from: '2026-11-28T22:00', to: '2026-11-28T23:30' });
    expect(morning.json().orders).toHaveLength(1);
    expect((await call('whoami')).json().activeBusiness.timeZone).toBe('America/Los_Angeles');
  });

  it('refuses non-ISO dates and backwards ranges with one clear line, the same in every tool', async () => {
    const { call } = await connect(merchantKey(biz.id));
    for (const tool of ['list_orders', 'get_sales_summary']) {
      const us = await call(tool, { from: '11/29/2026', to: '11/29/2026' });
      expect(us.isError).toBe(true);
      expect(us.text).toContain(
        '11/29/2026 is not an ISO 8601 date (2026-11-29) or date-time (2026-11-29T09:00, 2026-11-29T17:00:00Z)',
      );
      const backwards = await call(tool, { from: '2026-11-30', to: '2026-11-29' });
      expect(backwards).toMatchObject({
        isError: true,
        text: '`to` is before `from`: give a range with from <= to',
      });
    }
  });
});
