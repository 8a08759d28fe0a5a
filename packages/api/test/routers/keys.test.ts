// keys.*: who may list, create, revoke and change keys of which business.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, expectCode, openSession, type World } from '../support/fixtures.ts';
import { apiKeyPrincipal, isWellFormedApiKey } from '@flowpos/core';

let w: World;
beforeAll(async () => {
  w = await createWorld('apikeys');
});
afterAll(async () => {
  await w?.close();
});

describe('keys', () => {
  it('a merchant creates a key (secret once), lists it without the secret', async () => {
    const merchant = w.caller(w.merchantA);
    const created = await merchant.keys.create({
      businessId: w.businessA.id,
      name: 'Till',
      scopes: ['pos:read', 'pos:intents'],
    });
    expect(isWellFormedApiKey(created.key)).toBe(true);
    expect(created).toMatchObject({
      businessId: w.businessA.id,
      role: 'merchant',
      status: 'active',
      createdBy: w.merchantA.email,
    });
    const listed = await merchant.keys.list({ businessId: w.businessA.id });
    const mine = listed.find((k) => k.id === created.id);
    expect(mine).toBeDefined();
    expect(mine).not.toHaveProperty('key');
    expect(JSON.stringify(listed)).not.toContain(created.key);
  });

  it('a merchant of A cannot list, create, revoke or change keys of B', async () => {
    const keyB = await w
      .caller(w.merchantB)
      .keys.create({ businessId: w.businessB.id, name: 'B key', scopes: ['pos:read'] });
    const merchantA = w.caller(w.merchantA);
    await expectCode(merchantA.keys.list({ businessId: w.businessB.id }), 'FORBIDDEN');
    await expectCode(
      merchantA.keys.create({ businessId: w.businessB.id, name: 'x', scopes: ['pos:read'] }),
      'FORBIDDEN',
    );
    await expectCode(merchantA.keys.keyOptions({ businessId: w.businessB.id }), 'FORBIDDEN');
    await expectCode(merchantA.keys.revoke({ keyId: keyB.id }), 'NOT_FOUND');
    await expectCode(
      merchantA.keys.updateScopes({ keyId: keyB.id, scopes: ['sessions:read'] }),
      'NOT_FOUND',
    );
    const still = await w.db.prisma.apiKey.findUniqueOrThrow({ where: { id: keyB.id } });
    expect(still).toMatchObject({ isActive: true, revokedAt: null, scopes: ['pos:read'] });
  });

  it('a tenant developer creates developer keys but never with pos:intents or as merchant', async () => {
    const dev = w.caller(w.devA);
    const ok = await dev.keys.create({
      businessId: w.businessA.id,
      name: 'CI',
      scopes: ['pos:read'],
    });
    expect(ok.role).toBe('tenant_developer');
    await expectCode(
      dev.keys.create({
        businessId: w.businessA.id,
        name: 'x',
        scopes: ['pos:read', 'pos:intents'],
      }),
      'FORBIDDEN',
    );
    await expectCode(
      dev.keys.create({
        businessId: w.businessA.id,
        name: 'x',
        scopes: ['pos:read'],
        role: 'merchant',
      }),
      'FORBIDDEN',
    );
    await expectCode(dev.keys.updateScopes({ keyId: ok.id, scopes: ['pos:intents'] }), 'FORBIDDEN');
    // A developer cannot touch a merchant's key of the same business.
    const merchantKey = await w
      .caller(w.merchantA)
      .keys.create({ businessId: w.businessA.id, name: 'M', scopes: ['pos:read'] });
    await expectCode(dev.keys.revoke({ keyId: merchantKey.id }), 'FORBIDDEN');
    expect((await dev.keys.revoke({ keyId: ok.id })).status).toBe('revoked');
  });

  it('a merchant cannot create an operator key or exceed the key role', async () => {
    const merchant = w.caller(w.merchantA);
    await expectCode(
      merchant.keys.create({
        businessId: w.businessA.id,
        name: 'x',
        scopes: ['pos:read'],
        role: 'platform_operator',
      }),
      'FORBIDDEN',
    );
    await expectCode(
      merchant.keys.create({ businessId: w.businessA.id, name: 'x', scopes: ['operator'] }),
      'FORBIDDEN',
    );
    await expectCode(
      merchant.keys.create({
        businessId: w.businessA.id,
        name: 'x',
        scopes: ['pos:intents'],
        role: 'tenant_developer',
      }),
      'FORBIDDEN',
    );
    await expectCode(
      merchant.keys.create({
        businessId: w.businessA.id,
        name: 'x',
        scopes: ['pos:read'],
        expiresAt: new Date(Date.now() - 1000),
      }),
      'BAD_REQUEST',
    );
  });

  it('an operator manages keys of any business', async () => {
    const op = w.caller(w.operator);
    const key = await op.keys.create({
      businessId: w.businessB.id,
      name: 'Ops',
      scopes: ['operator'],
      role: 'platform_operator',
    });
    expect(key.role).toBe('platform_operator');
    expect((await op.keys.list({ businessId: w.businessB.id })).some((k) => k.id === key.id)).toBe(
      true,
    );
    expect((await op.keys.updateScopes({ keyId: key.id, scopes: ['pos:read'] })).scopes).toEqual([
      'pos:read',
    ]);
    expect((await op.keys.revoke({ keyId: key.id })).status).toBe('revoked');
  });

  it('an expired key cannot have its scopes changed (409) and still shows as expired', async () => {
    const merchant = w.caller(w.merchantA);
    const key = await merchant.keys.create({
      businessId: w.businessA.id,
      name: 'Expired till',
      scopes: ['pos:read'],
    });
    await w.db.prisma.apiKey.update({
      where: { id: key.id },
      data: { expiresAt: new Date(Date.now() - 60_000) },
    });
    await expectCode(
      merchant.keys.updateScopes({ keyId: key.id, scopes: ['pos:read', 'pos:intents'] }),
      'CONFLICT',
    );
    const listed = await merchant.keys.list({ businessId: w.businessA.id });
    expect(listed.find((k) => k.id === key.id)).toMatchObject({
      status: 'expired',
      scopes: ['pos:read'],
      rolled: false,
    });
  });

  it('an expired key is rolled (once) into a new key with the same scopes and lifetime', async () => {
    const merchant = w.caller(w.merchantA);
    const key = await merchant.keys.create({
      businessId: w.businessA.id,
      name: 'Yearly till',
      scopes: ['pos:read', 'pos:intents'],
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const createdAt = new Date(Date.now() - 10 * 86_400_000);
    await w.db.prisma.apiKey.update({
      where: { id: key.id },
      data: { createdAt, expiresAt: new Date(Date.now() - 86_400_000) },
    });
    const before = Date.now();
    const { key: fresh, replaced } = await merchant.keys.rotate({ keyId: key.id, overlap: '1d' });
    expect(fresh).toMatchObject({
      name: 'Yearly till',
      status: 'active',
      scopes: ['pos:read', 'pos:intents'],
    });
    const lifetime = (fresh.expiresAt as Date).getTime() - before;
    expect(lifetime).toBeGreaterThanOrEqual(9 * 86_400_000 - 1000);
    expect(lifetime).toBeLessThanOrEqual(9 * 86_400_000 + 60_000);
    expect(replaced).toMatchObject({ id: key.id, status: 'expired', rolled: true });
    await expectCode(merchant.keys.rotate({ keyId: key.id, overlap: '1d' }), 'CONFLICT');
  });

  it('revoke ends the key sessions; updateScopes rewrites them', async () => {
    const merchant = w.caller(w.merchantA);
    const a = await merchant.keys.create({
      businessId: w.businessA.id,
      name: 'A',
      scopes: ['pos:read', 'pos:intents'],
    });
    const b = await merchant.keys.create({
      businessId: w.businessA.id,
      name: 'B',
      scopes: ['pos:read'],
    });
    const principalOf = (k: typeof a) =>
      apiKeyPrincipal({
        id: k.id,
        businessId: k.businessId,
        prefix: k.prefix,
        role: k.role,
        scopes: k.scopes,
        expiresAt: null,
      });
    const sa = await openSession(w.store, principalOf(a));
    const sb = await openSession(w.store, principalOf(b));
    await merchant.keys.updateScopes({ keyId: a.id, scopes: ['pos:read'] });
    expect((await w.store.get(sa))?.principal.scopes).toEqual(['pos:read']);
    await merchant.keys.revoke({ keyId: b.id });
    expect(await w.store.get(sb)).toBeNull();
    expect(w.events).toEqual(
      expect.arrayContaining([
        { type: 'key.changed', keyId: b.id },
        { type: 'session.ended', sessionId: sb },
      ]),
    );
  });

  it('keyOptions follows the actor role', async () => {
    const merchant = await w.caller(w.merchantA).keys.keyOptions({ businessId: w.businessA.id });
    expect(merchant.actorRole).toBe('merchant');
    expect(merchant.roles).toEqual(['merchant', 'tenant_developer']);
    expect(merchant.scopesByRole).toEqual({
      merchant: ['pos:read', 'pos:intents', 'sessions:read'],
      tenant_developer: ['pos:read', 'sessions:read'],
    });
    expect(Object.keys(merchant.scopeDescriptions)).toEqual([
      'pos:read',
      'pos:intents',
      'sessions:read',
      'operator',
    ]);

    const dev = await w.caller(w.devA).keys.keyOptions({ businessId: w.businessA.id });
    expect(dev.roles).toEqual(['tenant_developer']);
    expect(dev.scopesByRole).toEqual({ tenant_developer: ['pos:read', 'sessions:read'] });

    const op = await w.caller(w.operator).keys.keyOptions({ businessId: w.businessA.id });
    expect(op.roles).toEqual(['merchant', 'tenant_developer', 'platform_operator']);
    expect(op.scopesByRole.platform_operator).toEqual([
      'pos:read',
      'pos:intents',
      'sessions:read',
      'operator',
    ]);
  });

  it('records key changes in the audit trail', async () => {
    const merchant = w.caller(w.merchantA);
    const key = await merchant.keys.create({
      businessId: w.businessA.id,
      name: 'Audited',
      scopes: ['pos:read'],
    });
    await merchant.keys.revoke({ keyId: key.id });
    await w.services.audit.flush();
    const page = await merchant.audit.list({ businessId: w.businessA.id, limit: 100 });
    const forKey = page.items.filter((e) => e.details.keyId === key.id).map((e) => e.action);
    expect(forKey).toEqual(expect.arrayContaining(['api_key.created', 'api_key.revoked']));
    expect(JSON.stringify(page)).not.toContain(key.key);
  });
});
