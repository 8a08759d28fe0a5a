// Daily caps on proposals, in core, on PostgreSQL with counters in memory
// (the backend's tests run them on Redis and on PGlite): a
// key's override beats the business default, a cap refuses with its name,
// value and reset, a refused or retried proposal is not counted, a change
// reaches the cache through limits.changed, a cap that cannot be checked
// refuses (fails closed), and only merchants change limits.
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/actor.ts';
import { createAuditLog } from '../../src/audit.ts';
import { createMemoryEventBus } from '../../src/events.ts';
import { createMemoryCapCounters, type CapCounters } from '../../src/limits/cap-counters.ts';
import { CredentialLimits } from '../../src/limits/credential-limits.ts';
import { businessDay, IntentCaps } from '../../src/limits/intent-caps.ts';
import { getKeyLimits, setBusinessLimits, setKeyLimits } from '../../src/limits/limits-admin.ts';
import { createSaleIntent } from '../../src/pos/intents.ts';

let db: TestDatabase;
const events = createMemoryEventBus();
let limits: CredentialLimits;
let caps: IntentCaps;

beforeAll(async () => {
  db = await createTestDatabase('intent-caps');
  limits = new CredentialLimits(db.prisma, events);
  caps = new IntentCaps(createMemoryCapCounters(), limits);
});
afterAll(async () => {
  limits?.close();
  await db?.drop();
});

async function shop(
  defaults: Record<string, number | null> = {},
  own: Record<string, number | null> = {},
) {
  const business = await db.prisma.business.create({
    data: { name: `Shop ${randomUUID()}`, timeZone: 'Europe/Paris', currency: 'EUR', ...defaults },
  });
  const key = await db.prisma.apiKey.create({
    data: {
      businessId: business.id,
      name: 'k',
      prefix: 'fp_mcp_test',
      hash: randomUUID(),
      role: 'merchant',
      scopes: ['pos:read', 'pos:intents'],
      ...own,
    },
  });
  const product = await db.prisma.product.create({
    data: { businessId: business.id, sku: 'S1', name: 'Tea', priceCents: 300, stock: 100 },
  });
  return { business, key, product, credential: `key:${key.id}` };
}

const person = (businessId: string, role: 'merchant' | 'tenant_developer'): Actor => ({
  userId: randomUUID(),
  email: 'p@shop.test',
  isPlatformOperator: false,
  tokenGeneration: 0,
  memberships: [{ businessId, businessName: 'Shop', role }],
});

describe('IntentCaps', () => {
  it('a key’s own cap beats the business default; over it, the error names cap, value and reset', async () => {
    const s = await shop({ saleIntentsPerDay: 10 }, { saleIntentsPerDay: 2 });
    await caps.reserve(s.credential, s.business.id, { kind: 'sale', amountCents: 300 });
    await caps.reserve(s.credential, s.business.id, { kind: 'sale', amountCents: 300 });
    const refused = caps.reserve(s.credential, s.business.id, { kind: 'sale', amountCents: 300 });
    await expect(refused).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      details: { cap: 'saleIntentsPerDay', value: 2 },
    });
    await expect(refused).rejects.toThrow(
      /sale intents per day \(saleIntentsPerDay\) is 2 for this API key.*resets at \d{4}-\d\d-\d\dT00:00:00\+0[12]:00 Europe\/Paris/,
    );
    // The refusal spent nothing.
    const usage = await caps.usage(s.credential, s.business.id);
    expect(usage.caps.find((c) => c.cap === 'saleIntentsPerDay')).toEqual({
      cap: 'saleIntentsPerDay',
      value: 2,
      used: 2,
    });
  });

  it('refund amount: counted in minor units, stated in the business currency', async () => {
    const s = await shop({ refundCentsPerDay: 1000 });
    await caps.reserve(s.credential, s.business.id, { kind: 'refund', amountCents: 700 });
    await expect(
      caps.reserve(s.credential, s.business.id, { kind: 'refund', amountCents: 400 }),
    ).rejects.toThrow(/refund amount per day \(refundCentsPerDay\) is €10\.00/);
    await caps.reserve(s.credential, s.business.id, { kind: 'refund', amountCents: 300 });
    const usage = await caps.usage(s.credential, s.business.id);
    expect(usage.caps.map((c) => [c.cap, c.used])).toEqual([
      ['saleIntentsPerDay', 0],
      ['refundIntentsPerDay', 2],
      ['refundCentsPerDay', 1000],
    ]);
  });

  it('an idempotent retry is not counted again, a new proposal is', async () => {
    const s = await shop({}, { saleIntentsPerDay: 1 });
    const reserve = (p: Parameters<IntentCaps['reserve']>[2]) =>
      caps.reserve(s.credential, s.business.id, p);
    const input = { lines: [{ productId: s.product.id, quantity: 1 }], idempotencyKey: 'once' };
    const first = await createSaleIntent(db.prisma, s.business.id, s.credential, input, reserve);
    const retry = await createSaleIntent(db.prisma, s.business.id, s.credential, input, reserve);
    expect(retry.id).toBe(first.id);
    await expect(
      createSaleIntent(db.prisma, s.business.id, s.credential, { lines: input.lines }, reserve),
    ).rejects.toThrow(/saleIntentsPerDay/);
    expect(await db.prisma.intent.count({ where: { businessId: s.business.id } })).toBe(1);
  });

  it('concurrent retries with one key count once (the loser gives its count back)', async () => {
    const s = await shop({}, { saleIntentsPerDay: 5 });
    const reserve = (p: Parameters<IntentCaps['reserve']>[2]) =>
      caps.reserve(s.credential, s.business.id, p);
    const input = { lines: [{ productId: s.product.id, quantity: 1 }], idempotencyKey: 'race' };
    await Promise.all(
      [1, 2, 3].map(() => createSaleIntent(db.prisma, s.business.id, s.credential, input, reserve)),
    );
    const usage = await caps.usage(s.credential, s.business.id);
    expect(usage.caps[0]?.used).toBe(1);
  });

  it('rolling a key does not reset its daily caps: every secret of the key counts on one figure', async () => {
    const s = await shop({}, { saleIntentsPerDay: 1, refundCentsPerDay: 500 });
    await caps.reserve(s.credential, s.business.id, { kind: 'sale', amountCents: 300 });
    await caps.reserve(s.credential, s.business.id, { kind: 'refund', amountCents: 400 });
    // A roll as key-rotation.ts stores it: a new row with the key's limits, the old row linked to it.
    const rolled = await db.prisma.apiKey.create({
      data: {
        businessId: s.business.id,
        name: 'k',
        prefix: 'fp_mcp_tes2',
        hash: randomUUID(),
        role: 'merchant',
        scopes: ['pos:read', 'pos:intents'],
        saleIntentsPerDay: 1,
        refundCentsPerDay: 500,
      },
    });
    await db.prisma.apiKey.update({ where: { id: s.key.id }, data: { replacedById: rolled.id } });
    const fresh = `key:${rolled.id}`;
    await expect(
      caps.reserve(fresh, s.business.id, { kind: 'sale', amountCents: 300 }),
    ).rejects.toMatchObject({ details: { cap: 'saleIntentsPerDay' } });
    await expect(
      caps.reserve(fresh, s.business.id, { kind: 'refund', amountCents: 400 }),
    ).rejects.toMatchObject({ details: { cap: 'refundCentsPerDay' } });
    // The old secret, still working in its overlap, shares the same figures.
    const usage = await caps.usage(fresh, s.business.id);
    expect(usage.caps.map((c) => [c.cap, c.used])).toEqual([
      ['saleIntentsPerDay', 1],
      ['refundIntentsPerDay', 1],
      ['refundCentsPerDay', 400],
    ]);
  });

  it('fails closed: a cap that cannot be checked refuses; without a cap the proposal goes on', async () => {
    const broken: CapCounters = {
      add: () => Promise.reject(new Error('redis down')),
      read: () => Promise.reject(new Error('redis down')),
    };
    const down = new IntentCaps(broken, limits);
    const capped = await shop({ refundIntentsPerDay: 3 });
    await expect(
      down.reserve(capped.credential, capped.business.id, { kind: 'refund', amountCents: 1 }),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const free = await shop();
    await expect(
      down.reserve(free.credential, free.business.id, { kind: 'refund', amountCents: 1 }),
    ).resolves.toBeDefined();
  });
});

describe('limits administration', () => {
  it('a merchant sets a key’s caps (audited; caches follow at once); a developer may not', async () => {
    const s = await shop();
    const audit = createAuditLog(db.prisma);
    const deps = { db: db.prisma, audit, events, caps };
    // Cached before the change: the change must still apply at once.
    expect((await limits.get(s.credential, s.business.id)).effective.saleIntentsPerDay).toBeNull();
    const merchant = person(s.business.id, 'merchant');
    const saved = await setKeyLimits(deps, merchant, {
      keyId: s.key.id,
      callsPerMinute: 30,
      saleIntentsPerDay: 1,
      refundIntentsPerDay: null,
      refundCentsPerDay: null,
    });
    expect(saved.own).toMatchObject({ callsPerMinute: 30, saleIntentsPerDay: 1 });
    expect((await limits.get(s.credential, s.business.id)).effective.saleIntentsPerDay).toBe(1);
    await setBusinessLimits(deps, merchant, {
      businessId: s.business.id,
      callsPerMinute: null,
      saleIntentsPerDay: 9,
      refundIntentsPerDay: 4,
      refundCentsPerDay: null,
    });
    const view = await getKeyLimits(deps, merchant, s.key.id);
    expect(view.effective).toEqual({
      callsPerMinute: 30,
      saleIntentsPerDay: 1,
      refundIntentsPerDay: 4,
      refundCentsPerDay: null,
    });
    expect(view.usage?.caps).toHaveLength(3);
    const developer = person(s.business.id, 'tenant_developer');
    await expect(
      setKeyLimits(deps, developer, { keyId: s.key.id, ...view.own, saleIntentsPerDay: 50 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      setKeyLimits(deps, merchant, { keyId: s.key.id, ...view.own, saleIntentsPerDay: -1 }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await audit.close();
    const rows = await db.prisma.auditEvent.findMany({ where: { businessId: s.business.id } });
    expect(rows.map((r) => r.action)).toEqual(['limits.changed', 'limits.changed']);
  });
});

describe('businessDay', () => {
  it('resets at the next local midnight, daylight saving included', () => {
    // 2026-03-29 is the spring-forward day in Paris: the next midnight is at +02:00.
    const day = businessDay('Europe/Paris', Date.parse('2026-03-29T12:00:00Z'));
    expect(day.day).toBe('2026-03-29');
    expect(day.resetsAtLocal).toBe('2026-03-30T00:00:00+02:00');
    expect(new Date(day.resetsAtMs).toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });
});
