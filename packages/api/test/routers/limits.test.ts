// limits.*: a merchant reads and sets a key's limits and the business
// defaults; a developer reads but cannot set; another business's merchant
// sees nothing; bad figures are a 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, expectCode, type World } from '../support/fixtures.ts';

let w: World;
beforeAll(async () => {
  w = await createWorld('limits');
});
afterAll(async () => {
  await w?.close();
});

const NONE = {
  callsPerMinute: null,
  saleIntentsPerDay: null,
  refundIntentsPerDay: null,
  refundCentsPerDay: null,
};

describe('limits', () => {
  it('a key’s own figures win over the business defaults; only merchants set them', async () => {
    const merchant = w.caller(w.merchantA);
    const key = await merchant.keys.create({
      businessId: w.businessA.id,
      name: 'Capped',
      scopes: ['pos:read', 'pos:intents'],
    });
    await merchant.limits.setBusiness({
      businessId: w.businessA.id,
      ...NONE,
      saleIntentsPerDay: 10,
      refundCentsPerDay: 5000,
    });
    const saved = await merchant.limits.setKey({ keyId: key.id, ...NONE, saleIntentsPerDay: 2 });
    expect(saved.effective).toEqual({ ...NONE, saleIntentsPerDay: 2, refundCentsPerDay: 5000 });
    expect(saved.canEdit).toBe(true);

    const dev = w.caller(w.devA);
    const devKey = await dev.keys.create({
      businessId: w.businessA.id,
      name: 'CI',
      scopes: ['pos:read'],
    });
    expect((await dev.limits.key({ keyId: devKey.id })).canEdit).toBe(false);
    await expectCode(
      dev.limits.setKey({ keyId: devKey.id, ...NONE, callsPerMinute: 99999 }),
      'FORBIDDEN',
    );
    await expectCode(dev.limits.setBusiness({ businessId: w.businessA.id, ...NONE }), 'FORBIDDEN');

    await expectCode(w.caller(w.merchantB).limits.key({ keyId: key.id }), 'NOT_FOUND');
    await expectCode(
      merchant.limits.setKey({ keyId: key.id, ...NONE, callsPerMinute: 0 }),
      'BAD_REQUEST',
    );
    expect((await merchant.limits.business({ businessId: w.businessA.id })).defaults).toEqual({
      ...NONE,
      saleIntentsPerDay: 10,
      refundCentsPerDay: 5000,
    });
  });
});
