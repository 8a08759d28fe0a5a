// intents.* and audit.*: merchants decide intents of their business
// (approving a sale creates the order), and read the audit trail a page at a time.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSaleIntent } from '@flowpos/core';
import { createWorld, expectCode, type World } from '../support/fixtures.ts';

let w: World;
beforeAll(async () => {
  w = await createWorld('apiintents');
});
afterAll(async () => {
  await w?.close();
});

async function saleIntent(businessId: string) {
  const product = await w.db.prisma.product.create({
    data: {
      businessId,
      sku: `SKU-${randomUUID().slice(0, 8)}`,
      name: 'Cold brew',
      priceCents: 450,
      stock: 10,
    },
  });
  const intent = await createSaleIntent(w.db.prisma, businessId, 'key:test', {
    lines: [{ productId: product.id, quantity: 2 }],
  });
  return { product, intent };
}

describe('intents', () => {
  it('a merchant approves a sale: the order exists, stock moves, the decision is audited', async () => {
    const { product, intent } = await saleIntent(w.businessA.id);
    const merchant = w.caller(w.merchantA);
    const pending = await merchant.intents.list({ businessId: w.businessA.id, status: 'pending' });
    expect(pending.map((i) => i.id)).toContain(intent.id);

    const approved = await merchant.intents.approve({
      businessId: w.businessA.id,
      intentId: intent.id,
    });
    expect(approved.status).toBe('approved');
    expect(approved.orderId).toBeTruthy();
    const order = await w.db.prisma.order.findUniqueOrThrow({
      where: { id: approved.orderId as string },
      include: { lines: true },
    });
    expect(order).toMatchObject({
      businessId: w.businessA.id,
      totalCents: 900,
      status: 'completed',
    });
    expect(order.lines).toEqual([
      expect.objectContaining({ productId: product.id, quantity: 2, unitPriceCents: 450 }),
    ]);
    expect((await w.db.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(
      8,
    );

    await expectCode(
      merchant.intents.approve({ businessId: w.businessA.id, intentId: intent.id }),
      'CONFLICT',
    );
    await w.services.audit.flush();
    const audit = await w.db.prisma.auditEvent.findMany({ where: { action: 'intent.approved' } });
    expect(audit.map((a) => a.details)).toContainEqual(
      expect.objectContaining({ intentId: intent.id, orderId: order.id }),
    );
    expect(
      audit.find((a) => (a.details as { intentId?: string }).intentId === intent.id),
    ).toMatchObject({ actorId: w.merchantA.id, businessId: w.businessA.id });
  });

  it('a merchant rejects; the rejection is audited and creates no order', async () => {
    const { intent } = await saleIntent(w.businessA.id);
    const rejected = await w
      .caller(w.merchantA)
      .intents.reject({ businessId: w.businessA.id, intentId: intent.id });
    expect(rejected).toMatchObject({ status: 'rejected', orderId: null });
    await w.services.audit.flush();
    expect(
      await w.db.prisma.auditEvent.count({
        where: { action: 'intent.rejected', actorId: w.merchantA.id },
      }),
    ).toBe(1);
  });

  it("reads one intent for its page (an AI client's approval link) and announces a decision to waiting calls", async () => {
    const { intent } = await saleIntent(w.businessA.id);
    const merchant = w.caller(w.merchantA);
    const read = await merchant.intents.get({ businessId: w.businessA.id, intentId: intent.id });
    expect(read).toMatchObject({ id: intent.id, status: 'pending', kind: 'sale' });
    expect(read.proposedBy.ref).toBe('key:test');
    const heard: string[] = [];
    const stop = w.services.events.subscribe((event) => {
      if (event.type === 'intent.decided') heard.push(event.intentId);
    });
    try {
      await merchant.intents.reject({ businessId: w.businessA.id, intentId: intent.id });
      await expect.poll(() => heard).toEqual([intent.id]);
    } finally {
      stop();
    }
    const other = { businessId: w.businessB.id, intentId: intent.id };
    await expectCode(w.caller(w.merchantB).intents.get(other), 'NOT_FOUND');
    const inA = { businessId: w.businessA.id, intentId: intent.id };
    await expectCode(w.caller(w.merchantB).intents.get(inA), 'FORBIDDEN');
    await expectCode(w.caller(w.devA).intents.get(inA), 'FORBIDDEN');
  });

  it('tenant developers and other merchants cannot see or decide intents', async () => {
    const { intent } = await saleIntent(w.businessA.id);
    const dev = w.caller(w.devA);
    const inA = { businessId: w.businessA.id };
    const decisionInA = { ...inA, intentId: intent.id };
    await expectCode(dev.intents.list(inA), 'FORBIDDEN');
    await expectCode(dev.intents.approve(decisionInA), 'FORBIDDEN');
    await expectCode(dev.intents.reject(decisionInA), 'FORBIDDEN');
    const other = w.caller(w.merchantB);
    await expectCode(other.intents.list(inA), 'FORBIDDEN');
    await expectCode(other.intents.approve(decisionInA), 'FORBIDDEN');
    // Naming one's own business does not reach another business's intent.
    const fromB = { ...decisionInA, businessId: w.businessB.id };
    await expectCode(other.intents.approve(fromB), 'NOT_FOUND');
    // Merchant of A, developer of B: no intents of B.
    await expectCode(w.caller(w.both).intents.list({ businessId: w.businessB.id }), 'FORBIDDEN');
    expect((await w.db.prisma.intent.findUniqueOrThrow({ where: { id: intent.id } })).status).toBe(
      'pending',
    );
  });

  it('operators may decide intents of any business', async () => {
    const { intent } = await saleIntent(w.businessB.id);
    const approved = await w
      .caller(w.operator)
      .intents.approve({ businessId: w.businessB.id, intentId: intent.id });
    expect(approved.status).toBe('approved');
  });
});

describe('audit', () => {
  it('pages newest first without gaps or repeats', async () => {
    // Its own business so the count is exact; one batch gives equal timestamps (the id breaks ties).
    const business = await w.db.prisma.business.create({
      data: { name: `Audit ${randomUUID().slice(0, 6)}` },
    });
    const merchant = await w.person({ memberships: [[business.id, 'merchant']] });
    for (let i = 0; i < 23; i++) {
      w.services.audit.record({
        businessId: business.id,
        action: `test.${i}`,
        outcome: 'success',
        actorKind: 'system',
        details: { i },
      });
      if (i === 10) await w.services.audit.flush();
    }
    await w.services.audit.flush();
    const caller = w.caller(merchant);
    const seen: string[] = [];
    const times: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof caller.audit.list>> = await caller.audit.list({
        businessId: business.id,
        limit: 5,
        cursor,
      });
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((e) => e.id));
      times.push(...page.items.map((e) => e.createdAt.getTime()));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const first = await caller.audit.list({ businessId: business.id, limit: 1 });
    expect(first.items[0]).toMatchObject({
      businessId: business.id,
      outcome: 'success',
      actorKind: 'system',
      actorId: null,
    });
    expect(first.items[0]?.details).toHaveProperty('i');
  });

  it('merchants read their business only; operators everything; developers nothing', async () => {
    w.services.audit.record({
      businessId: w.businessB.id,
      action: 'test.b',
      outcome: 'success',
      actorKind: 'system',
    });
    await w.services.audit.flush();
    await expectCode(w.caller(w.merchantA).audit.list({ businessId: w.businessB.id }), 'FORBIDDEN');
    await expectCode(w.caller(w.merchantA).audit.list({}), 'FORBIDDEN');
    await expectCode(w.caller(w.devA).audit.list({ businessId: w.businessA.id }), 'FORBIDDEN');
    await expectCode(w.caller(w.both).audit.list({ businessId: w.businessB.id }), 'FORBIDDEN');
    const mine = await w.caller(w.merchantB).audit.list({ businessId: w.businessB.id });
    expect(mine.items.every((e) => e.businessId === w.businessB.id)).toBe(true);
    const all = await w.caller(w.operator).audit.list({ limit: 100 });
    expect(all.items.some((e) => e.businessId === w.businessB.id)).toBe(true);
  });

  it('rejects a limit over 100 and a forged cursor', async () => {
    await expectCode(w.caller(w.operator).audit.list({ limit: 101 }), 'BAD_REQUEST');
    await expectCode(w.caller(w.operator).audit.list({ cursor: 'not-a-cursor' }), 'BAD_REQUEST');
  });
});

describe('businesses.settings', () => {
  it('members read the time zone; merchants change it to a real IANA zone only', async () => {
    const merchant = w.caller(w.merchantA);
    const dev = w.caller(w.devA);
    expect(await dev.businesses.settings({ businessId: w.businessA.id })).toMatchObject({
      timeZone: 'UTC',
      allowBackorders: false,
    });
    await expectCode(
      dev.businesses.updateSettings({ businessId: w.businessA.id, timeZone: 'Europe/Paris' }),
      'FORBIDDEN',
    );
    await expectCode(
      merchant.businesses.updateSettings({ businessId: w.businessA.id, timeZone: 'Mars/Olympus' }),
      'BAD_REQUEST',
    );
    expect(
      await merchant.businesses.updateSettings({
        businessId: w.businessA.id,
        timeZone: 'Europe/Paris',
      }),
    ).toMatchObject({ timeZone: 'Europe/Paris', allowBackorders: false });
    expect(await merchant.businesses.timeZones()).toContain('Asia/Tokyo');
  });
});
