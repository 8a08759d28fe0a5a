// members.invite and members.changeRole through the tRPC caller on real
// PostgreSQL: who may, what is created or linked, the last merchant rule, and
// a role change reaching the member's live session at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveUserPrincipal } from '@flowpos/core';
import {
  createWorld,
  expectCode,
  openSession,
  type Person,
  type World,
} from '../support/fixtures.ts';

let w: World;
beforeAll(async () => {
  w = await createWorld('apiinvite');
});
afterAll(async () => {
  await w?.close();
});

describe('members.invite', () => {
  it('a new e-mail: a user and an active membership; listed; audited', async () => {
    const email = `New.Person.${Date.now()}@Example.com`;
    const invited = await w.caller(w.merchantA).members.invite({
      businessId: w.businessA.id,
      email,
      role: 'tenant_developer',
    });
    expect(invited).toMatchObject({
      email: email.toLowerCase(),
      role: 'tenant_developer',
      isActive: true,
      created: true,
    });
    const members = await w.caller(w.merchantA).members.list({ businessId: w.businessA.id });
    expect(members.map((m) => m.email)).toContain(email.toLowerCase());
    await w.services.audit.flush();
    const event = await w.db.prisma.auditEvent.findFirst({
      where: { action: 'member.invited', businessId: w.businessA.id },
    });
    expect(event?.actorId).toBe(w.merchantA.id);
  });

  it('an existing user is linked (no second user), an inactive membership comes back', async () => {
    const person = await w.person({ memberships: [[w.businessB.id, 'merchant']] });
    const linked = await w
      .caller(w.merchantA)
      .members.invite({ businessId: w.businessA.id, email: person.email, role: 'merchant' });
    expect(linked.created).toBe(false);
    expect(linked.userId).toBe(person.id);
    expect(await w.db.prisma.user.count({ where: { email: person.email } })).toBe(1);
    await expectCode(
      w
        .caller(w.merchantA)
        .members.invite({ businessId: w.businessA.id, email: person.email, role: 'merchant' }),
      'CONFLICT',
    );
    await w
      .caller(w.merchantA)
      .members.setActive({ businessId: w.businessA.id, userId: person.id, isActive: false });
    const back = await w.caller(w.merchantA).members.invite({
      businessId: w.businessA.id,
      email: person.email,
      role: 'tenant_developer',
    });
    expect(back).toMatchObject({ isActive: true, role: 'tenant_developer' });
  });

  it("tenant developers and other businesses' merchants may not invite; bad e-mails are refused", async () => {
    const input = {
      businessId: w.businessA.id,
      email: `x${Date.now()}@example.com`,
      role: 'merchant' as const,
    };
    await expectCode(w.caller(w.devA).members.invite(input), 'FORBIDDEN');
    await expectCode(w.caller(w.merchantB).members.invite(input), 'FORBIDDEN');
    await expectCode(
      w.caller(w.merchantA).members.invite({ ...input, email: 'not an email' }),
      'BAD_REQUEST',
    );
    await expectCode(
      w.caller(w.merchantA).members.invite({ ...input, role: 'platform_operator' as never }),
      'BAD_REQUEST',
    );
    expect(await w.db.prisma.user.count({ where: { email: input.email } })).toBe(0);
  });
});

describe('members.changeRole', () => {
  it('a merchant makes a developer a merchant; the live session follows at once', async () => {
    const biz = await w.db.prisma.business.create({ data: { name: `Gamma ${Date.now()}` } });
    const owner = await w.person({ memberships: [[biz.id, 'merchant']] });
    const dev = await w.person({ memberships: [[biz.id, 'tenant_developer']] });
    const sessionId = await openSession(w.store, await resolveUserPrincipal(w.db.prisma, dev.id));
    const changed = await w
      .caller(owner)
      .members.changeRole({ businessId: biz.id, userId: dev.id, role: 'merchant' });
    expect(changed.role).toBe('merchant');
    const session = await w.store.get(sessionId);
    expect(session?.principal.role).toBe('merchant');
    expect(session?.principal.scopes).toContain('pos:intents');
  });

  it('the last merchant cannot be demoted, not even by themself; with two, one can', async () => {
    const biz = await w.db.prisma.business.create({ data: { name: `Delta ${Date.now()}` } });
    const owner = await w.person({ memberships: [[biz.id, 'merchant']] });
    await expectCode(
      w
        .caller(owner)
        .members.changeRole({ businessId: biz.id, userId: owner.id, role: 'tenant_developer' }),
      'CONFLICT',
    );
    await expectCode(
      w
        .caller(w.operator)
        .members.changeRole({ businessId: biz.id, userId: owner.id, role: 'tenant_developer' }),
      'CONFLICT',
    );
    const second = await w.person({ memberships: [[biz.id, 'merchant']] });
    const demoted = await w
      .caller(owner)
      .members.changeRole({ businessId: biz.id, userId: second.id, role: 'tenant_developer' });
    expect(demoted.role).toBe('tenant_developer');
    await expectCode(
      w
        .caller(owner)
        .members.changeRole({ businessId: biz.id, userId: owner.id, role: 'tenant_developer' }),
      'CONFLICT',
    );
  });

  it('two merchants demoting each other at once: one stays merchant', async () => {
    const biz = await w.db.prisma.business.create({ data: { name: `Eps ${Date.now()}` } });
    const a = await w.person({ memberships: [[biz.id, 'merchant']] });
    const b = await w.person({ memberships: [[biz.id, 'merchant']] });
    const results = await Promise.allSettled([
      w
        .caller(a)
        .members.changeRole({ businessId: biz.id, userId: b.id, role: 'tenant_developer' }),
      w
        .caller(b)
        .members.changeRole({ businessId: biz.id, userId: a.id, role: 'tenant_developer' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      await w.db.prisma.businessUser.count({ where: { businessId: biz.id, role: 'merchant' } }),
    ).toBe(1);
  });

  it('the last active merchant cannot be deactivated either (not by an operator, not by racing a demotion)', async () => {
    const biz = await w.db.prisma.business.create({ data: { name: `Zeta ${Date.now()}` } });
    const owner = await w.person({ memberships: [[biz.id, 'merchant']] });
    await expectCode(
      w
        .caller(w.operator)
        .members.setActive({ businessId: biz.id, userId: owner.id, isActive: false }),
      'CONFLICT',
    );
    // Two merchants: one demotes themself while deactivating the other, at once.
    const other = await w.person({ memberships: [[biz.id, 'merchant']] });
    await Promise.allSettled([
      w
        .caller(owner)
        .members.changeRole({ businessId: biz.id, userId: owner.id, role: 'tenant_developer' }),
      w.caller(owner).members.setActive({ businessId: biz.id, userId: other.id, isActive: false }),
    ]);
    expect(
      await w.db.prisma.businessUser.count({
        where: { businessId: biz.id, role: 'merchant', isActive: true },
      }),
    ).toBe(1);
  });

  it('developers may not change roles; an unknown member is not found', async () => {
    /** `by` changes `userId`'s role in business A. */
    const changeRoleInA = (by: Person, userId: string, role: 'merchant' | 'tenant_developer') =>
      w.caller(by).members.changeRole({ businessId: w.businessA.id, userId, role });
    await expectCode(changeRoleInA(w.devA, w.merchantA.id, 'tenant_developer'), 'FORBIDDEN');
    // merchantB is a member of business B only.
    await expectCode(changeRoleInA(w.merchantA, w.merchantB.id, 'merchant'), 'NOT_FOUND');
  });
});
