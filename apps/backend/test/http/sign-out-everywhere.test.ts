// "Sign out everywhere" (the person or an operator) refuses older tokens at
// refresh and on /mcp at once; a merchant signing a member out of their
// business, or deactivating the membership, ends only what belongs to that business.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createUser, unique } from '../support/fixtures.ts';
import { TRUST_ENV, trustCalls } from '../support/account-trust.ts';
import { useHarness } from '../support/harness.ts';
import { exchangeToken, mcpRequest, rawSession, toolsCallBody } from '../support/raw-http.ts';
import { EMULATOR_HOST } from '../support/server.ts';

const h = useHarness('signout', TRUST_ENV);
const { refresh, mcpStatus, merchant, trpcMutation } = trustCalls(h);

beforeAll(async () => {
  process.env.FIREBASE_AUTH_EMULATOR_HOST ??= EMULATOR_HOST;
});

describe('sign out everywhere (the person themself, or an operator)', () => {
  it('the person signs themself out: older tokens fail on /mcp and at refresh; a new exchange works', async () => {
    const { user } = await merchant();
    const issued = await exchangeToken(h.server.baseUrl, await user.idToken());
    expect(await mcpStatus(issued.json.token)).toBe(200);

    const done = await trpcMutation(await user.idToken(), 'members.signOutEverywhere', {
      userId: user.id,
    });
    expect(done.status).toBe(200);
    expect(await mcpStatus(issued.json.token)).toBe(401);
    expect((await refresh(issued.json.token)).status).toBe(401);
    await h.server.services.core.audit.flush();
    expect(
      await h.db.auditEvent.count({
        where: { action: 'user.signed_out_everywhere', actorId: user.id },
      }),
    ).toBe(1);

    // A fresh Firebase sign-in gets a working token again.
    const fresh = await exchangeToken(h.server.baseUrl, await user.idToken());
    expect(fresh.status).toBe(200);
    expect(await mcpStatus(fresh.json.token)).toBe(200);
  });

  it('a merchant cannot sign a member out everywhere (403) nor a stranger (404); an operator can sign out anyone', async () => {
    const { business, user: owner } = await merchant();
    const member = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
      label: 'member',
    });
    const { user: stranger } = await merchant();
    const ownerToken = await owner.idToken();
    const issued = await exchangeToken(h.server.baseUrl, await member.idToken());
    const asMerchant = await trpcMutation(ownerToken, 'members.signOutEverywhere', {
      userId: member.id,
    });
    expect(asMerchant.status).toBe(403);
    expect(await mcpStatus(issued.json.token)).toBe(200);
    const refused = await trpcMutation(ownerToken, 'members.signOutEverywhere', {
      userId: stranger.id,
    });
    expect(refused.status).toBe(404);

    const operator = await createUser(h.db, { operator: true, label: 'op' });
    const done = await trpcMutation(await operator.idToken(), 'members.signOutEverywhere', {
      userId: member.id,
    });
    expect(done.status).toBe(200);
    expect(await mcpStatus(issued.json.token)).toBe(401);
  });
});

describe('a merchant acts only within their business', () => {
  /** A member of the owner's business B ("A…" sorts first) and of another business C. */
  async function memberOfTwo() {
    const mine = await createBusiness(h.db, unique('Aa mine'));
    const theirs = await createBusiness(h.db, unique('Zz theirs'));
    const owner = await createUser(h.db, {
      memberships: [{ businessId: mine.business.id, role: 'merchant' }],
      label: 'owner',
    });
    const member = await createUser(h.db, {
      memberships: [
        { businessId: mine.business.id, role: 'merchant' },
        { businessId: theirs.business.id, role: 'merchant' },
      ],
      label: 'two-shops',
    });
    const grant = (businessId: string) =>
      h.db.oAuthGrant.create({
        data: {
          id: randomUUID(),
          clientId: 'https://connector.test/client.json',
          clientName: 'Connector',
          userId: member.id,
          businessId,
          scopes: ['pos:read'],
        },
      });
    const grants = { mine: await grant(mine.business.id), theirs: await grant(theirs.business.id) };
    const { token } = (await exchangeToken(h.server.baseUrl, await member.idToken())).json;
    // One live session acting for each business.
    const atMine = await rawSession(h.server.mcpUrl, token);
    const atTheirs = await rawSession(h.server.mcpUrl, token);
    const switched = await mcpRequest(h.server.mcpUrl, {
      bearer: token,
      sessionId: atTheirs,
      body: toolsCallBody('set_active_business', { businessId: theirs.business.id }),
    });
    expect(switched.status).toBe(200);
    return {
      mine: mine.business.id,
      theirs: theirs.business.id,
      owner,
      member,
      grants,
      token: token as string,
      sessions: { atMine, atTheirs },
    };
  }

  const revokedAt = async (id: string) =>
    (await h.db.oAuthGrant.findUniqueOrThrow({ where: { id } })).revokedAt;

  it('signing a member out of business B ends what they hold for B only', async () => {
    const t = await memberOfTwo();
    const generation = (await h.db.user.findUniqueOrThrow({ where: { id: t.member.id } }))
      .tokenGeneration;
    const done = await trpcMutation(await t.owner.idToken(), 'members.signOut', {
      businessId: t.mine,
      userId: t.member.id,
    });
    expect(done.status).toBe(200);
    expect(await revokedAt(t.grants.mine.id)).not.toBeNull();
    expect(await revokedAt(t.grants.theirs.id)).toBeNull();
    expect(await h.server.services.store.get(t.sessions.atMine)).toBeNull();
    expect(await h.server.services.store.get(t.sessions.atTheirs)).not.toBeNull();
    // Their token, its refresh and their sign-in are the person's: untouched.
    expect(await mcpStatus(t.token)).toBe(200);
    expect((await refresh(t.token)).status).toBe(200);
    const after = await h.db.user.findUniqueOrThrow({ where: { id: t.member.id } });
    expect(after.tokenGeneration).toBe(generation);
    await h.server.services.core.audit.flush();
    expect(
      await h.db.auditEvent.count({
        where: { action: 'member.signed_out', actorId: t.owner.id, businessId: t.mine },
      }),
    ).toBe(1);
  });

  it('a merchant cannot sign out someone outside their business (404)', async () => {
    const { business, user: owner } = await merchant();
    const { user: stranger } = await merchant();
    const refused = await trpcMutation(await owner.idToken(), 'members.signOut', {
      businessId: business.id,
      userId: stranger.id,
    });
    expect(refused.status).toBe(404);
  });

  it('deactivating a member at B takes B away at once and revokes only B’s grants', async () => {
    const t = await memberOfTwo();
    const removed = await trpcMutation(await t.owner.idToken(), 'members.setActive', {
      businessId: t.mine,
      userId: t.member.id,
      isActive: false,
    });
    expect(removed.status).toBe(200);
    expect(await revokedAt(t.grants.mine.id)).not.toBeNull();
    expect(await revokedAt(t.grants.theirs.id)).toBeNull();
    expect(await h.server.services.store.get(t.sessions.atMine)).toBeNull();
    const kept = await h.server.services.store.get(t.sessions.atTheirs);
    expect(kept?.principal.authorizedBusinessIds).toEqual([t.theirs]);
    // Still a member elsewhere: the token works there, and no longer reaches B.
    expect(await mcpStatus(t.token)).toBe(200);
    const renewed = await refresh(t.token);
    expect(renewed.status).toBe(200);
    const session = await rawSession(h.server.mcpUrl, t.token);
    const stored = await h.server.services.store.get(session);
    expect(stored?.principal.authorizedBusinessIds).toEqual([t.theirs]);
  });
});
