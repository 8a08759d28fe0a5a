// Who may hold a V2 token: e-mail linking only for verified addresses; an
// account Firebase reports disabled, deleted or signed out is refused at
// /mcp/token and at refresh; a refresh chain has a hard age. Signing out
// everywhere is in sign-out-everywhere.test.ts.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, setValidSince, signIn, signUp, unique } from '../support/fixtures.ts';
import { DAY_S, emulatorAdmin, TRUST_ENV, trustCalls } from '../support/account-trust.ts';
import { useHarness } from '../support/harness.ts';
import { exchangeToken } from '../support/raw-http.ts';
import { EMULATOR_HOST } from '../support/server.ts';

const h = useHarness('account-trust', TRUST_ENV);
const { refresh, merchant, chainToken } = trustCalls(h);

beforeAll(async () => {
  process.env.FIREBASE_AUTH_EMULATOR_HOST ??= EMULATOR_HOST;
});

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
    await h.server.services.core.audit.flush();
    const refused = await h.db.auditEvent.findMany({
      where: { actorId: user.id, action: 'user.link_refused' },
    });
    expect(refused).toHaveLength(1);
  });

  it('a verified e-mail links the identity, and the link is audited', async () => {
    const { user, email } = await knownUserWithOtherUid();
    const fb = await signUp(email);
    await emulatorAdmin().updateUser(fb.localId, { emailVerified: true });
    const { idToken } = await signIn(email);
    const res = await exchangeToken(h.server.baseUrl, idToken);
    expect(res.status).toBe(200);
    const after = await h.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.firebaseUid).toBe(fb.localId);
    await h.server.services.core.audit.flush();
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
    await emulatorAdmin().updateUser(user.firebaseUid, { disabled: true });
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
    await emulatorAdmin().deleteUser(user.firebaseUid);
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
    const { authTime } = await h.server.services.core.tokenSigner.verify(issued.json.token);
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
    const original = await h.server.services.core.tokenSigner.verify(young);
    const claims = await h.server.services.core.tokenSigner.verify(renewed.json.token);
    expect(claims.authTime).toBe(original.authTime);

    const old = await refresh(await chainToken(user.id, 31 * DAY_S));
    expect(old.status).toBe(401);
    expect(old.json.error).toBe('Sign-in too old: exchange a new Firebase ID token');
  });

  it('a token exchanged from Firebase carries the Firebase sign-in time', async () => {
    const { user } = await merchant();
    const idToken = await user.idToken();
    const decoded = await emulatorAdmin().verifyIdToken(idToken);
    const res = await exchangeToken(h.server.baseUrl, idToken);
    const claims = await h.server.services.core.tokenSigner.verify(res.json.token);
    expect(claims.authTime).toBe(decoded.auth_time);
  });
});
