// What a person types into a prompt argument is text, never a LIKE pattern:
// `%` and `_` match only themselves, both when completing and when resolving
// a name, on PostgreSQL and on PGlite.
import { randomUUID } from 'node:crypto';
import { createDatabase, type Database } from '@flowpos/db';
import { createTestDatabase } from '@flowpos/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProducts } from '../../src/pos/catalog.ts';
import {
  businessNameCompletions,
  findBusinessByName,
  findProductByNameOrSku,
  productNameCompletions,
} from '../../src/pos/name-completions.ts';

const KINDS: [string, () => Promise<Database & { drop?: () => Promise<void> }>][] = [
  ['PostgreSQL', () => createTestDatabase('name_completions')],
  [
    'PGlite',
    async () => {
      const db = createDatabase('pglite:memory');
      await db.migrate();
      return db;
    },
  ],
];

describe.each(KINDS)('names typed into prompt arguments on %s', (_kind, open) => {
  let db: Database & { drop?: () => Promise<void> };
  let businessId: string;
  let businessName: string;

  beforeAll(async () => {
    db = await open();
    businessName = `Mocha ${randomUUID().slice(0, 8)}`;
    const biz = await db.prisma.business.create({ data: { name: businessName } });
    businessId = biz.id;
    for (const [name, sku] of [
      ['Mocha', 'MO-1'],
      ['Flat White', 'FW-2'],
      ['50% Off Muffin', 'MU_3'],
    ] as const)
      await db.prisma.product.create({
        data: { businessId, name, sku, priceCents: 300, stock: 5 },
      });
  });

  afterAll(async () => {
    if (db?.drop) await db.drop();
    else await db?.close();
  });

  it('completes only names and SKUs that start with the typed text, wildcards included', async () => {
    expect(await productNameCompletions(db.prisma, businessId, '%')).toEqual([]);
    expect(await productNameCompletions(db.prisma, businessId, '_')).toEqual([]);
    expect(await productNameCompletions(db.prisma, businessId, '50%')).toEqual(['50% Off Muffin']);
    expect(await productNameCompletions(db.prisma, businessId, 'mu_')).toEqual(['MU_3']);
    expect(await businessNameCompletions(db.prisma, [businessId], '%')).toEqual([]);
  });

  it('resolves a name only when it is that name (any case), not a pattern matching it', async () => {
    expect(await findProductByNameOrSku(db.prisma, businessId, '_____')).toBeNull();
    expect(await findProductByNameOrSku(db.prisma, businessId, '%')).toBeNull();
    expect((await findProductByNameOrSku(db.prisma, businessId, 'mocha'))?.sku).toBe('MO-1');
    expect((await findProductByNameOrSku(db.prisma, businessId, '50% off muffin'))?.sku).toBe(
      'MU_3',
    );
    expect(await findBusinessByName(db.prisma, [businessId], '%')).toBeNull();
    expect(
      (await findBusinessByName(db.prisma, [businessId], businessName.toUpperCase()))?.id,
    ).toBe(businessId);
  });

  it('list_products searches and filters by the typed text, not a pattern', async () => {
    const names = async (query: { search?: string; category?: string }) =>
      (await listProducts(db.prisma, businessId, query)).map((p) => p.name);
    expect(await names({ search: '%' })).toEqual(['50% Off Muffin']);
    expect(await names({ search: '_' })).toEqual(['50% Off Muffin']);
    expect(await names({ search: 'f_' })).toEqual([]);
    expect(await names({ category: '%' })).toEqual([]);
  });
});
