// intents.get's effects (what approving does), orders.get (where an approval's
// result links) and connect.info (the MCP URL the console's snippets show):
// merchants of the business only, figures read from the database.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRefundIntent, createSaleIntent } from '@flowpos/core';
import { createWorld, expectCode, type World } from '../support/fixtures.ts';

let w: World;
beforeAll(async () => {
  w = await createWorld('apiorders');
});
afterAll(async () => {
  await w?.close();
});

async function product(businessId: string, stock: number) {
  return w.db.prisma.product.create({
    data: {
      businessId,
      sku: `SKU-${randomUUID().slice(0, 8)}`,
      name: 'Oat milk',
      priceCents: 300,
      stock,
    },
  });
}

describe('what approving does', () => {
  it('a sale shows the stock each product would have left and the key that proposed it', async () => {
    const p = await product(w.businessA.id, 5);
    const key = await w.db.prisma.apiKey.create({
      data: {
        businessId: w.businessA.id,
        name: 'Till assistant',
        prefix: 'fp_mcp_test',
        hash: randomUUID(),
        role: 'merchant',
        scopes: ['pos:read', 'pos:intents'],
      },
    });
    const intent = await createSaleIntent(w.db.prisma, w.businessA.id, `key:${key.id}`, {
      lines: [{ productId: p.id, quantity: 2 }],
    });
    const seen = await w
      .caller(w.merchantA)
      .intents.get({ businessId: w.businessA.id, intentId: intent.id });
    expect(seen.effects.stockAfter).toEqual([
      expect.objectContaining({ productId: p.id, quantity: 2, inStock: 5, after: 3 }),
    ]);
    expect(seen.effects.client).toBe('API key “Till assistant”');
    expect(seen.effects.refund).toBeNull();
    // Read now: a restock before the decision shows in the figures.
    await w.db.prisma.product.update({ where: { id: p.id }, data: { stock: 9 } });
    const again = await w
      .caller(w.merchantA)
      .intents.get({ businessId: w.businessA.id, intentId: intent.id });
    expect(again.effects.stockAfter?.[0]?.after).toBe(7);
  });

  it('a refund shows the order and what stays refundable, and the order page lists both intents', async () => {
    const p = await product(w.businessA.id, 10);
    const sale = await createSaleIntent(w.db.prisma, w.businessA.id, 'grant:none', {
      lines: [{ productId: p.id, quantity: 2 }],
    });
    const merchant = w.caller(w.merchantA);
    const approved = await merchant.intents.approve({
      businessId: w.businessA.id,
      intentId: sale.id,
    });
    const orderId = approved.orderId!;
    const refund = await createRefundIntent(w.db.prisma, w.businessA.id, 'user:x', {
      orderId,
      amountCents: 200,
      reason: 'Spilled',
    });
    const seen = await merchant.intents.get({ businessId: w.businessA.id, intentId: refund.id });
    expect(seen.effects.refund).toEqual({
      orderId,
      totalCents: 600,
      refundedCents: 0,
      remainingAfterCents: 400,
    });
    expect(seen.effects.stockAfter).toBeNull();

    const order = await merchant.orders.get({ businessId: w.businessA.id, orderId });
    expect(order).toMatchObject({
      id: orderId,
      totalCents: 600,
      refundedCents: 0,
      status: 'completed',
    });
    expect(order.lines).toEqual([
      expect.objectContaining({ productId: p.id, quantity: 2, name: 'Oat milk' }),
    ]);
    expect(order.intents.map((i) => [i.id, i.kind])).toEqual([
      [sale.id, 'sale'],
      [refund.id, 'refund'],
    ]);
  });

  it('orders of another business are out of reach, and tenant developers see none', async () => {
    const p = await product(w.businessA.id, 10);
    const sale = await createSaleIntent(w.db.prisma, w.businessA.id, 'key:test', {
      lines: [{ productId: p.id, quantity: 1 }],
    });
    const { orderId } = await w
      .caller(w.merchantA)
      .intents.approve({ businessId: w.businessA.id, intentId: sale.id });
    await expectCode(
      w.caller(w.merchantB).orders.get({ businessId: w.businessA.id, orderId: orderId! }),
      'FORBIDDEN',
    );
    await expectCode(
      w.caller(w.merchantB).orders.get({ businessId: w.businessB.id, orderId: orderId! }),
      'NOT_FOUND',
    );
    await expectCode(
      w.caller(w.devA).orders.get({ businessId: w.businessA.id, orderId: orderId! }),
      'FORBIDDEN',
    );
  });
});

describe('connect.info', () => {
  it('names the MCP URL of this deployment', async () => {
    expect(await w.caller(w.merchantA).connect.info()).toEqual({
      mcpUrl: 'http://127.0.0.1:4000/mcp',
    });
  });
});
