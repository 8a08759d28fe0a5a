// The data every bench section works on: one business with products, a
// merchant key, a governed key (section 1d) and enough other keys that key
// lookups are not a one-row table.
import { randomBytes } from 'node:crypto';
import type { Db } from '@flowpos/db';
import { createBusiness, createKey } from '../../apps/backend/harness/fixtures.ts';

export interface BenchFixtures {
  businessId: string;
  /** A product SKU get_product is called with. */
  sku: string;
  /** A merchant key with pos:read and sessions:read, no tool policy. */
  key: string;
  /** The same rights, governed as a merchant would: tool policy, calls per minute, caps. */
  governedKey: string;
}

export async function createBenchFixtures(db: Db): Promise<BenchFixtures> {
  const { business, products } = await createBusiness(
    db,
    `Bench Bar ${randomBytes(2).toString('hex')}`,
    5,
  );
  const sku = products[1]?.sku as string;
  const { key } = await createKey(db, {
    businessId: business.id,
    role: 'merchant',
    scopes: ['pos:read', 'sessions:read'],
  });
  const { key: governedKey } = await createKey(db, {
    businessId: business.id,
    role: 'merchant',
    scopes: ['pos:read', 'sessions:read'],
    toolPolicy: { kind: 'tools', tools: ['get_product', 'list_products', 'whoami'] },
  });
  await db.apiKey.updateMany({
    where: { businessId: business.id, toolPolicy: 'tools' },
    data: { callsPerMinute: 1_000_000_000, saleIntentsPerDay: 50, refundIntentsPerDay: 10 },
  });
  for (let i = 0; i < 24; i++)
    await createKey(db, { businessId: business.id, role: 'merchant', scopes: ['pos:read'] });
  return { businessId: business.id, sku, key, governedKey };
}
