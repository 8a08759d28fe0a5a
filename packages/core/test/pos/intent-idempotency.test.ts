// Proposals with an idempotency key, through a real MCP client, on
// PostgreSQL and on PGlite (the embedded default): a retry with the same key
// returns the intent the first call created, concurrent retries create one
// intent (the database's unique index decides), and the key belongs to one
// credential and one request.
import { randomUUID } from 'node:crypto';
import { createDatabase, type Database } from '@flowpos/db';
import { createTestDatabase } from '@flowpos/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/audit.ts';
import { keyedProposal } from '../../src/pos/intent-idempotency.ts';
import { createSaleIntent } from '../../src/pos/intents.ts';
import type { Principal } from '../../src/principal.ts';
import { merchantKey, toolClients } from '../support/tool-client.ts';

const KINDS: [string, () => Promise<Database & { drop?: () => Promise<void> }>][] = [
  ['PostgreSQL', () => createTestDatabase('idempotency')],
  [
    'PGlite',
    async () => {
      const db = createDatabase('pglite:memory');
      await db.migrate();
      return db;
    },
  ],
];

describe.each(KINDS)('proposal idempotency keys on %s', (_kind, open) => {
  let db: Database & { drop?: () => Promise<void> };
  let connect: ReturnType<typeof toolClients>;

  beforeAll(async () => {
    db = await open();
    connect = toolClients(db, createAuditLog(db.prisma));
  });

  afterAll(async () => {
    if (db?.drop) await db.drop();
    else await db?.close();
  });

  async function shop(stock = 10) {
    const biz = await db.prisma.business.create({ data: { name: `Shop ${randomUUID()}` } });
    const product = await db.prisma.product.create({
      data: { businessId: biz.id, sku: 'MUG', name: 'Mug', priceCents: 1200, stock },
    });
    const order = await db.prisma.order.create({
      data: {
        businessId: biz.id,
        totalCents: 2400,
        lines: { create: [{ productId: product.id, quantity: 2, unitPriceCents: 1200 }] },
      },
    });
    return { businessId: biz.id, productId: product.id, orderId: order.id };
  }

  const intentsOf = (businessId: string) => db.prisma.intent.count({ where: { businessId } });
  const as = (principal: Principal, credentialId: string): Principal => ({
    ...principal,
    credentialId,
  });

  it('a retried sale with the same key returns the first intent, even after the stock changed', async () => {
    const s = await shop();
    const { call } = await connect(merchantKey(s.businessId));
    const args = {
      lines: [{ productId: s.productId, quantity: 3 }],
      note: 'table 4',
      idempotencyKey: randomUUID(),
    };
    const first = await call('create_sale_intent', args);
    expect(first.isError).toBe(false);
    // The stock falls below what was asked: a fresh proposal would be refused, a retry is not.
    await db.prisma.product.update({ where: { id: s.productId }, data: { stock: 1 } });
    const retry = await call('create_sale_intent', { ...args, note: 'table 4' });
    expect(retry.isError).toBe(false);
    expect(retry.json()).toMatchObject({ id: first.json().id, status: 'pending' });
    expect(await intentsOf(s.businessId)).toBe(1);
  });

  it('concurrent retries with one key create exactly one intent', async () => {
    const s = await shop();
    const input = { lines: [{ productId: s.productId, quantity: 1 }], idempotencyKey: 'retry-1' };
    const results = await Promise.all(
      Array.from({ length: 8 }, () => createSaleIntent(db.prisma, s.businessId, 'key:k9', input)),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await intentsOf(s.businessId)).toBe(1);
  });

  it('an insert that loses the race to the same key answers with the winner, not an error', async () => {
    const s = await shop();
    // Both calls passed their lookup before either inserted: the unique index decides.
    const request = { kind: 'sale', businessId: s.businessId, asked: { n: 1 } };
    const first = keyedProposal(db.prisma, 'key:k8', 'race-1', request);
    const second = keyedProposal(db.prisma, 'key:k8', 'race-1', request);
    const data = {
      businessId: s.businessId,
      kind: 'sale' as const,
      payload: {},
      createdBy: 'key:k8',
    };
    const winner = await first.insert(data);
    const loser = await second.insert(data);
    expect(loser.id).toBe(winner.id);
    expect(await intentsOf(s.businessId)).toBe(1);
  });

  it('the same key with other arguments is refused, saying why, and creates nothing', async () => {
    const s = await shop();
    const { call } = await connect(merchantKey(s.businessId));
    const idempotencyKey = randomUUID();
    await call('create_sale_intent', {
      lines: [{ productId: s.productId, quantity: 1 }],
      idempotencyKey,
    });
    const other = await call('create_sale_intent', {
      lines: [{ productId: s.productId, quantity: 2 }],
      idempotencyKey,
    });
    expect(other.isError).toBe(true);
    expect(other.text).toMatch(/idempotency key was already used for a different request/);
    // Nor for another kind of proposal.
    const refund = await call('create_refund_intent', {
      orderId: s.orderId,
      reason: 'broken',
      idempotencyKey,
    });
    expect(refund.isError).toBe(true);
    expect(refund.text).toMatch(/idempotency key was already used/);
    expect(await intentsOf(s.businessId)).toBe(1);
  });

  it("a key is the credential's own: another credential's same key proposes its own intent", async () => {
    const s = await shop();
    const args = {
      orderId: s.orderId,
      reason: 'wrong size',
      amountCents: 500,
      idempotencyKey: 'refund-1',
    };
    const mine = await connect(as(merchantKey(s.businessId), 'key:mine'));
    const theirs = await connect(as(merchantKey(s.businessId), 'key:theirs'));
    const a = (await mine.call('create_refund_intent', args)).json();
    const b = (await theirs.call('create_refund_intent', args)).json();
    const again = (await mine.call('create_refund_intent', args)).json();
    expect(a.id).not.toBe(b.id);
    expect(again.id).toBe(a.id);
    expect(await intentsOf(s.businessId)).toBe(2);
  });

  it('without a key every call proposes a new intent, as before', async () => {
    const s = await shop();
    const { call } = await connect(merchantKey(s.businessId));
    const args = { lines: [{ productId: s.productId, quantity: 1 }] };
    const a = (await call('create_sale_intent', args)).json();
    const b = (await call('create_sale_intent', args)).json();
    expect(a.id).not.toBe(b.id);
    expect(await intentsOf(s.businessId)).toBe(2);
  });

  it('a malformed key is refused before anything is read', async () => {
    const s = await shop();
    const { call } = await connect(merchantKey(s.businessId));
    for (const idempotencyKey of ['', 'has space', 'x'.repeat(201)]) {
      const bad = await call('create_sale_intent', {
        lines: [{ productId: s.productId, quantity: 1 }],
        idempotencyKey,
      });
      expect(bad.isError).toBe(true);
    }
    expect(await intentsOf(s.businessId)).toBe(0);
  });
});
