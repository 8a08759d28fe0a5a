// oauth.connectedAppGroups on real PostgreSQL: grants grouped by app, paged,
// searchable (typed text is literal), each registered client with its
// redirect hosts, a Client ID Metadata Document with its own host, and only
// the grants the viewer may see.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, expectCode, type Person, type World } from '../support/fixtures.ts';

let w: World;
let owner: Person;
let bizId: string;
const tag = randomUUID().slice(0, 6);

beforeAll(async () => {
  w = await createWorld('apiappgroups');
  const biz = await w.db.prisma.business.create({ data: { name: `Apps ${tag}` } });
  bizId = biz.id;
  owner = await w.person({ memberships: [[biz.id, 'merchant']] });
  const staff = await w.person({ memberships: [[biz.id, 'tenant_developer']] });
  const grant = (clientId: string, clientName: string, userId: string, revoked = false) =>
    w.db.prisma.oAuthGrant.create({
      data: {
        id: randomUUID(),
        clientId,
        clientName,
        userId,
        businessId: biz.id,
        scopes: ['pos:read'],
        revokedAt: revoked ? new Date() : null,
      },
    });
  for (let i = 0; i < 5; i++) {
    const clientId = `${tag}-client-${i}`;
    await w.db.prisma.oAuthRecord.create({
      data: {
        kind: 'Client',
        id: clientId,
        payload: {
          client_id: clientId,
          redirect_uris: [`https://app${i}.example/cb`, `https://app${i}.example/other`],
        },
      },
    });
    await grant(clientId, `Tool ${i}_${tag}`, owner.id);
  }
  await grant(`${tag}-client-0`, `Tool 0_${tag}`, staff.id);
  await grant(`${tag}-client-1`, `Tool 1_${tag}`, staff.id, true);
  await grant(`https://claude.example/${tag}.json`, `Claude ${tag}`, owner.id);
});
afterAll(async () => {
  await w?.close();
});

describe('oauth.connectedAppGroups', () => {
  it('groups by app with a page at a time and a cursor to go on', async () => {
    const first = await w.caller(owner).oauth.connectedAppGroups({ search: tag, limit: 4 });
    expect(first.items).toHaveLength(4);
    expect(first.nextCursor).toBeTruthy();
    const second = await w
      .caller(owner)
      .oauth.connectedAppGroups({ search: tag, limit: 4, cursor: first.nextCursor });
    const all = [...first.items, ...second.items];
    expect(second.nextCursor).toBeNull();
    expect(all).toHaveLength(6);
    const tool0 = all.find((g) => g.clientId === `${tag}-client-0`)!;
    expect(tool0.grantCount).toBe(2);
    expect(tool0.grants.map((g) => g.businessId)).toEqual([bizId, bizId]);
    expect(tool0.registration).toBe('registered');
    expect(tool0.redirectHosts).toEqual(['app0.example']);
    // A revoked grant is not listed.
    expect(all.find((g) => g.clientId === `${tag}-client-1`)!.grantCount).toBe(1);
    const claude = all.find((g) => g.clientName === `Claude ${tag}`)!;
    expect(claude).toMatchObject({
      registration: 'metadata_document',
      redirectHosts: ['claude.example'],
    });
  });

  it('search matches app name, person or business; % and _ are literal', async () => {
    const byName = await w.caller(owner).oauth.connectedAppGroups({ search: `tool 3_${tag}` });
    expect(byName.items.map((g) => g.clientId)).toEqual([`${tag}-client-3`]);
    const byPerson = await w
      .caller(owner)
      .oauth.connectedAppGroups({ search: owner.email.toUpperCase() });
    expect(byPerson.items.length).toBe(6);
    expect((await w.caller(owner).oauth.connectedAppGroups({ search: '%' })).items).toEqual([]);
    expect(
      (await w.caller(owner).oauth.connectedAppGroups({ search: `Tool _${tag}` })).items,
    ).toEqual([]);
  });

  it('others see only what they may: no grants of a business one is not merchant of', async () => {
    expect((await w.caller(w.merchantB).oauth.connectedAppGroups({ search: tag })).items).toEqual(
      [],
    );
    const operator = await w
      .caller(w.operator)
      .oauth.connectedAppGroups({ search: tag, limit: 50 });
    expect(operator.items).toHaveLength(6);
    await expectCode(
      w.caller(owner).oauth.connectedAppGroups({ cursor: 'not-a-cursor' }),
      'BAD_REQUEST',
    );
  });
});
