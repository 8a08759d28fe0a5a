// sessions.* and members.*: who sees and ends which sessions, and how a
// membership change reaches the user's live sessions at once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyPrincipal, resolveUserPrincipal } from '@flowpos/core';
import { createWorld, expectCode, openSession, type World } from '../support/fixtures.ts';

let w: World;
beforeAll(async () => {
  w = await createWorld('apisessions');
});
afterAll(async () => {
  await w?.close();
});

const keyPrincipal = (businessId: string) =>
  apiKeyPrincipal({
    id: randomUUID(),
    businessId,
    prefix: 'fp_mcp_test',
    role: 'merchant',
    scopes: ['pos:read'],
    expiresAt: null,
  });

describe('sessions', () => {
  it('members see sessions of their businesses, operators all', async () => {
    const inA = await openSession(w.store, keyPrincipal(w.businessA.id));
    const inB = await openSession(w.store, keyPrincipal(w.businessB.id));
    const ids = (page: { items: { id: string }[] }) => page.items.map((s) => s.id);

    const merchantA = ids(await w.caller(w.merchantA).sessions.list({}));
    expect(merchantA).toContain(inA);
    expect(merchantA).not.toContain(inB);
    expect(ids(await w.caller(w.operator).sessions.list({}))).toEqual(
      expect.arrayContaining([inA, inB]),
    );
    expect(
      ids(
        await w
          .caller(w.operator)
          .sessions.list({ businessId: w.businessB.id, authKind: 'api_key' }),
      ),
    ).toEqual([inB]);
    expect(
      await w.caller(w.operator).sessions.list({ authKind: 'token', businessId: w.businessB.id }),
    ).toEqual({ items: [], nextCursor: null });

    // Tenant developers are like merchants for sessions (DESIGN.md).
    const devA = ids(await w.caller(w.devA).sessions.list({}));
    expect(devA).toContain(inA);
    expect(devA).not.toContain(inB);
    await expectCode(
      w.caller(w.merchantA).sessions.list({ businessId: w.businessB.id }),
      'FORBIDDEN',
    );
    // Merchant of A, developer of B: sessions of both.
    expect(ids(await w.caller(w.both).sessions.list({}))).toEqual(
      expect.arrayContaining([inA, inB]),
    );
  });

  it('members see no id of a business they do not belong to', async () => {
    // A user of both A and B, active in A: merchantA sees the session, not B's id.
    const session = await openSession(
      w.store,
      await resolveUserPrincipal(w.db.prisma, w.both.id, w.businessA.id),
    );
    const seen = (await w.caller(w.merchantA).sessions.list({})).items.find(
      (s) => s.id === session,
    );
    expect(seen?.authorizedBusinessIds).toEqual([w.businessA.id]);
    expect(JSON.stringify(seen)).not.toContain(w.businessB.id);
    // Operators see everything.
    const all = (await w.caller(w.operator).sessions.list({})).items.find((s) => s.id === session);
    expect(all?.authorizedBusinessIds).toEqual(
      expect.arrayContaining([w.businessA.id, w.businessB.id]),
    );
  });

  it('pages the list: most recent first, the next page from its cursor', async () => {
    const opened: string[] = [];
    for (let i = 0; i < 3; i++)
      opened.push(await openSession(w.store, keyPrincipal(w.businessA.id)));
    const page = await w.caller(w.operator).sessions.list({ limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.items[0]!.lastSeenAt >= page.items[1]!.lastSeenAt).toBe(true);
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = await w
      .caller(w.operator)
      .sessions.list({ limit: 2, cursor: page.nextCursor ?? undefined });
    const shown = page.items.map((s) => s.id);
    expect(next.items.map((s) => s.id).some((id) => shown.includes(id))).toBe(false);
    await expectCode(w.caller(w.operator).sessions.list({ limit: 0 }), 'BAD_REQUEST');
    await expectCode(w.caller(w.operator).sessions.list({ cursor: 'garbage' }), 'BAD_REQUEST');
  });

  it('sessions.end: merchants end their business sessions only, operators any', async () => {
    const inA = await openSession(w.store, keyPrincipal(w.businessA.id));
    const inB = await openSession(w.store, keyPrincipal(w.businessB.id));
    await expectCode(w.caller(w.merchantA).sessions.end({ sessionId: inB }), 'NOT_FOUND');
    await expectCode(w.caller(w.devA).sessions.end({ sessionId: inA }), 'NOT_FOUND');
    expect(await w.store.get(inB)).not.toBeNull();
    expect(await w.caller(w.merchantA).sessions.end({ sessionId: inA })).toEqual({ ended: true });
    expect(await w.store.get(inA)).toBeNull();
    await w.caller(w.operator).sessions.end({ sessionId: inB });
    expect(await w.store.get(inB)).toBeNull();
    await expectCode(w.caller(w.operator).sessions.end({ sessionId: inB }), 'NOT_FOUND');
  });
});

describe('members', () => {
  it('members.list is for merchants of the business and operators', async () => {
    const members = await w.caller(w.merchantA).members.list({ businessId: w.businessA.id });
    expect(members.map((m) => m.userId)).toEqual(
      expect.arrayContaining([w.merchantA.id, w.devA.id, w.both.id]),
    );
    expect(members.find((m) => m.userId === w.devA.id)).toMatchObject({
      role: 'tenant_developer',
      isActive: true,
    });
    await expectCode(w.caller(w.devA).members.list({ businessId: w.businessA.id }), 'FORBIDDEN');
    await expectCode(
      w.caller(w.merchantA).members.list({ businessId: w.businessB.id }),
      'FORBIDDEN',
    );
    expect(
      (await w.caller(w.operator).members.list({ businessId: w.businessB.id })).length,
    ).toBeGreaterThan(0);
  });

  it('members.setActive is refused to developers, other merchants and oneself', async () => {
    const target = await w.person({ memberships: [[w.businessA.id, 'tenant_developer']] });
    await expectCode(
      w
        .caller(w.devA)
        .members.setActive({ businessId: w.businessA.id, userId: target.id, isActive: false }),
      'FORBIDDEN',
    );
    await expectCode(
      w
        .caller(w.merchantB)
        .members.setActive({ businessId: w.businessA.id, userId: target.id, isActive: false }),
      'FORBIDDEN',
    );
    await expectCode(
      w
        .caller(w.merchantA)
        .members.setActive({ businessId: w.businessA.id, userId: w.merchantA.id, isActive: false }),
      'FORBIDDEN',
    );
    await expectCode(
      w
        .caller(w.merchantA)
        .members.setActive({ businessId: w.businessA.id, userId: w.merchantB.id, isActive: false }),
      'NOT_FOUND',
    );
    const row = await w.db.prisma.businessUser.findFirstOrThrow({ where: { userId: target.id } });
    expect(row.isActive).toBe(true);
  });

  it('deactivating the last membership ends the user sessions', async () => {
    const user = await w.person({ memberships: [[w.businessA.id, 'tenant_developer']] });
    const session = await openSession(w.store, await resolveUserPrincipal(w.db.prisma, user.id));
    const other = await openSession(w.store, keyPrincipal(w.businessA.id));
    const result = await w
      .caller(w.merchantA)
      .members.setActive({ businessId: w.businessA.id, userId: user.id, isActive: false });
    expect(result).toMatchObject({ userId: user.id, isActive: false });
    expect(await w.store.get(session)).toBeNull();
    expect(await w.store.get(other)).not.toBeNull();
    expect(w.events).toEqual(
      expect.arrayContaining([
        { type: 'user.changed', userId: user.id },
        { type: 'session.ended', sessionId: session },
      ]),
    );
    await expectCode(w.caller(user).keys.list({ businessId: w.businessA.id }), 'FORBIDDEN');
  });

  it('deactivating one of several memberships ends only that business: its session ends, the other loses it', async () => {
    const user = await w.person({
      memberships: [
        [w.businessA.id, 'merchant'],
        [w.businessB.id, 'merchant'],
      ],
    });
    const onA = await openSession(
      w.store,
      await resolveUserPrincipal(w.db.prisma, user.id, w.businessA.id),
    );
    const onB = await openSession(
      w.store,
      await resolveUserPrincipal(w.db.prisma, user.id, w.businessB.id),
    );
    const generation = (await w.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } }))
      .tokenGeneration;
    // The operator turns B off (the merchant of A cannot: not a merchant of B).
    await w
      .caller(w.operator)
      .members.setActive({ businessId: w.businessB.id, userId: user.id, isActive: false });
    // The session acting for B ends; the one on A goes on, without B.
    expect(await w.store.get(onB)).toBeNull();
    expect((await w.store.get(onA))?.principal.authorizedBusinessIds).toEqual([w.businessA.id]);
    // Their tokens are the person's, not B's: not signed out (they no longer reach B).
    expect(
      (await w.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).tokenGeneration,
    ).toBe(generation);
    expect(w.events).toEqual(
      expect.arrayContaining([
        { type: 'user.changed', userId: user.id },
        { type: 'session.ended', sessionId: onB },
      ]),
    );
  });

  it('a role change follows the active business when a membership returns', async () => {
    const user = await w.person({
      memberships: [
        [w.businessA.id, 'tenant_developer'],
        [w.businessB.id, 'merchant'],
      ],
    });
    await w
      .caller(w.merchantB)
      .members.setActive({ businessId: w.businessB.id, userId: user.id, isActive: false });
    const session = await openSession(w.store, await resolveUserPrincipal(w.db.prisma, user.id));
    expect((await w.store.get(session))?.principal.role).toBe('tenant_developer');
    await w
      .caller(w.merchantB)
      .members.setActive({ businessId: w.businessB.id, userId: user.id, isActive: true });
    const p = (await w.store.get(session))?.principal;
    expect(p).toMatchObject({ activeBusinessId: w.businessA.id, role: 'tenant_developer' });
    expect(p?.businessRoles?.[w.businessB.id]).toBe('merchant');
  });
});
