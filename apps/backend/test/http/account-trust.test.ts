// Who may hold a V2 token: e-mail linking only for verified addresses; an
// account Firebase reports disabled, deleted or signed out is refused at
// /mcp/token and at refresh; a refresh chain has a hard age; "sign out
// everywhere" (the person or an operator) refuses older tokens at refresh and
// on /mcp at once; a merchant signing a member out of their business, or
// deactivating the membership, ends only what belongs to that business.
import { randomUUID } from 'node:crypto';
import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import superjson from 'superjson';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createBusiness,
  createUser,
  setValidSince,
  signIn,
  signUp,
  unique,
} from '../support/fixtures.ts';
import {
  exchangeToken,
  initializeBody,
  mcpRequest,
  postJson,
  rawSession,
  toolsCallBody,
  useHarness,
} from '../support/harness.ts';
import { EMULATOR_HOST } from '../support/server.ts';

const DAY_S = 86_400;
const h = useHarness('account-trust', { MCP_MAX_SESSION_AGE_SECONDS: String(30 * DAY_S) });

beforeAll(async () => {
  process.env.FIREBASE_AUTH_EMULATOR_HOST ??= EMULATOR_HOST;
});

const admin = () =>
  getAuth(
    getApps().find((a) => a.name === 'account-trust-admin') ??
      initializeApp({ projectId: 'demo-flowpos' }, 'account-trust-admin'),
  );
const refresh = (token: string) => postJson(`${h.server.baseUrl}/mcp/token/refresh`, { token });
const mcpStatus = async (token: string) =>
  (await mcpRequest(h.server.mcpUrl, { bearer: token, body: initializeBody() })).status;

async function merchant() {
  const { business } = await createBusiness(h.db);
  const user = await createUser(h.db, {
    memberships: [{ businessId: business.id, role: 'merchant' }],
    label: 'trust',
  });
  return { business, user };
}

/** A token from the server's signer whose chain started `ageSeconds` ago. */
async function chainToken(userId: string, ageSeconds: number, generation = 0) {
  const authTime = Math.floor(Date.now() / 1000) - ageSeconds;
  return (
    await h.server.services.signer.sign({
      sub: userId,
      email: 'x@test',
      role: 'merchant',
      businessIds: [],
      authTime,
      generation,
    })
  ).token;
}

async function trpcMutation(idToken: string, path: string, input: unknown) {
  const res = await fetch(`${h.server.baseUrl}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${idToken}` },
    body: JSON.stringify(superjson.serialize(input)),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

describe('account linking by e-mail', () => {
  async function knownUserWithOtherUid() {
    const { business } = await createBusiness(h.db);
    const email = `${unique('link')}@test.flowpos`.toLowerCase();
    const user = await h.db.user.create({
      data: {
        email,
        firebaseUid: `old-${randomUUID()}`,
        memberships: { create: [{ businessId: business.id, role: 'merchant' }] },
      },
    });
    return { user, email };
  }

  it('an unverified sign-up with a known e-mail gets 403 and changes nothing', async () => {
    const { user, email } = await knownUserWithOtherUid();
    const fb = await signUp(email);
    const res = await exchangeToken(h.server.baseUrl, fb.idToken);
    expect(res.status).toBe(403);
    expect(res.json.token).toBeUndefined();
    const after = await h.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.firebaseUid).toBe(user.firebaseUid);
    await h.server.services.audit.flush();
    const refused = await h.db.auditEvent.findMany({
      where: { actorId: user.id, action: 'user.link_refused' },
    });
    expect(refused).toHaveLength(1);
  });

  it('a verified e-mail links the identity, and the link is audited', async () => {
    const { user, email } = await knownUserWithOtherUid();
    const fb = await signUp(email);
    await admin().updateUser(fb.localId, { emailVerified: true });
    const { idToken } = await signIn(email);
    const res = await exchangeToken(h.server.baseUrl, idToken);
    expect(res.status).toBe(200);
    const after = await h.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.firebaseUid).toBe(fb.localId);
    await h.server.services.audit.flush();
    const linked = await h.db.auditEvent.findMany({
      where: { actorId: user.id, action: 'user.linked' },
    });
    expect(linked).toHaveLength(1);
    expect(linked[0]?.details).toMatchObject({
      firebaseUid: fb.localId,
      previousFirebaseUid: user.firebaseUid,
    });
  });
});

describe('disabled, deleted and signed-out Firebase accounts', () => {
  it('/mcp/token refuses a disabled account, and refresh refuses it too', async () => {
    const { user } = await merchant();
    const idToken = await user.idToken();
    const first = await exchangeToken(h.server.baseUrl, idToken);
    expect(first.status).toBe(200);
    await admin().updateUser(user.firebaseUid, { disabled: true });
    const again = await exchangeToken(h.server.baseUrl, idToken);
    expect(again.status).toBe(401);
    expect(again.json.error).toBe('This Firebase account is disabled');
    const renewed = await refresh(first.json.token);
    expect(renewed.status).toBe(401);
    expect(renewed.json.error).toBe('This Firebase account is disabled');
  });

  it('/mcp/token and refresh refuse a deleted account', async () => {
    const { user } = await merchant();
    const idToken = await user.idToken();
    const first = await exchangeToken(h.server.baseUrl, idToken);
    expect(first.status).toBe(200);
    await admin().deleteUser(user.firebaseUid);
    expect((await exchangeToken(h.server.baseUrl, idToken)).status).toBe(401);
    const renewed = await refresh(first.json.token);
    expect(renewed.status).toBe(401);
    expect(renewed.json.error).toBe('This Firebase account no longer exists');
  });

  it('refresh refuses a chain that started before Firebase revoked the refresh tokens', async () => {
    const { user } = await merchant();
    const issued = await exchangeToken(h.server.baseUrl, await user.idToken());
    expect((await refresh(issued.json.token)).status).toBe(200);
    // What revokeRefreshTokens does, one second later than the sign-in.
    const { authTime } = await h.server.services.signer.verify(issued.json.token);
    await setValidSince(user.firebaseUid, authTime + 1);
    const renewed = await refresh(issued.json.token);
    expect(renewed.status).toBe(401);
    expect(renewed.json.error).toBe('Signed out: exchange a new Firebase ID token');
  });
});

describe('hard age of a refresh chain', () => {
  it('the sign-in time survives refreshes, and a chain older than the limit is refused', async () => {
    const { user } = await merchant();
    await setValidSince(user.firebaseUid, Math.floor(Date.now() / 1000) - 40 * DAY_S);
    const young = await chainToken(user.id, 29 * DAY_S);
    const renewed = await refresh(young);
    expect(renewed.status).toBe(200);
    const original = await h.server.services.signer.verify(young);
    const claims = await h.server.services.signer.verify(renewed.json.token);
    expect(claims.authTime).toBe(original.authTime);

    const old = await refresh(await chainToken(user.id, 31 * DAY_S));
    expect(old.status).toBe(401);
    expect(old.json.error).toBe('Sign-in too old: exchange a new Firebase ID token');
  });

  it('a token exchanged from Firebase carries the Firebase sign-in time', async () => {
    const { user } = await merchant();
    const idToken = await user.idToken();
    const decoded = await admin().verifyIdToken(idToken);
    const res = await exchangeToken(h.server.baseUrl, idToken);
    const claims = await h.server.services.signer.verify(res.json.token);
    expect(claims.authTime).toBe(decoded.auth_time);
  });
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
    await h.server.services.audit.flush();
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
    await h.server.services.audit.flush();
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
