// What the hostile-input files start from: a business and its merchant (with
// an ID token for the console's routes), or a business and one of its products.
import { beforeAll } from 'vitest';
import { createBusiness, createUser, type TestUser } from './fixtures.ts';
import type { Harness } from './harness.ts';

function made<T>(what: string, value: T | undefined): T {
  if (value === undefined) throw new Error(`${what} is used before beforeAll made it`);
  return value;
}

export function useMerchant(h: Harness, label: string) {
  let merchant: { businessId: string; user: TestUser; idToken: string } | undefined;
  beforeAll(async () => {
    const businessId = (await createBusiness(h.db, undefined, 0)).business.id;
    const user = await createUser(h.db, {
      memberships: [{ businessId, role: 'merchant' }],
      label,
    });
    merchant = { businessId, user, idToken: await user.idToken() };
  });
  return () => made('the merchant', merchant);
}

export function useShop(h: Harness) {
  let shop: { businessId: string; productId: string } | undefined;
  beforeAll(async () => {
    const created = await createBusiness(h.db);
    shop = { businessId: created.business.id, productId: created.products[0]!.id };
  });
  return () => made('the shop', shop);
}
