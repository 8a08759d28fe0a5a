// V2 tokens: POST /mcp/token and /mcp/token/refresh (RUNBOOK §3 B): the answer's
// shape, the 7-day refresh window, and memberships re-read at refresh time.
import { REFRESH_GRACE_SECONDS } from '@flowpos/core';
import { describe, expect, it } from 'vitest';
import { createBusiness, createUser, setValidSince, unique } from '../support/fixtures.ts';
import { connectClient, toolJson } from '../support/mcp-client.ts';
import { signerLike, useHarness } from '../support/harness.ts';
import {
  AUTH_REQUIRED,
  exchangeToken,
  initializeBody,
  mcpRequest,
  postJson,
} from '../support/raw-http.ts';

const h = useHarness('tokens');
const DAY_MS = 86_400_000;

const refresh = (token: string) => postJson(`${h.server.baseUrl}/mcp/token/refresh`, { token });

async function merchantOf(...businessIds: string[]) {
  const user = await createUser(h.db, {
    memberships: businessIds.map((businessId) => ({ businessId, role: 'merchant' as const })),
    label: 'tok',
  });
  // Tokens below are forged as issued days ago: let that sign-in predate the account.
  await setValidSince(user.firebaseUid, Math.floor(Date.now() / 1000) - 30 * 86_400);
  return user;
}

/** A token signed by the server's own key, issued `agoMs` ago, so it expired `agoMs - ttl` ago. */
async function tokenIssuedAgo(userId: string, agoMs: number) {
  const signer = signerLike(h.server.services);
  return (
    await signer.sign(
      { sub: userId, email: 'x@test', role: 'merchant', businessIds: [] },
      Date.now() - agoMs,
    )
  ).token;
}

describe('POST /mcp/token', () => {
  it('returns {token, tokenType: "Bearer", expiresIn} for the user, not cacheable', async () => {
    const { business } = await createBusiness(h.db);
    const user = await merchantOf(business.id);
    const res = await exchangeToken(h.server.baseUrl, await user.idToken());
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 3600,
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const claims = await h.server.services.core.tokenSigner.verify(res.json.token);
    expect(claims).toMatchObject({
      sub: user.id,
      email: user.email,
      role: 'merchant',
      businessIds: [business.id],
    });
    expect(claims.exp - claims.iat).toBe(3600);
  });
});

describe('POST /mcp/token/refresh', () => {
  it('a valid (unexpired) token is renewed', async () => {
    const { business } = await createBusiness(h.db);
    const user = await merchantOf(business.id);
    const res = await refresh(await tokenIssuedAgo(user.id, 60_000));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600 });
    expect((await h.server.services.core.tokenSigner.verify(res.json.token)).sub).toBe(user.id);
  });

  it('a token expired 6 days ago is renewed, and the new one works on /mcp while the old one does not', async () => {
    const { business } = await createBusiness(h.db);
    const user = await merchantOf(business.id);
    const ttlMs = h.server.services.config.tokenTtlSeconds * 1000;
    const old = await tokenIssuedAgo(user.id, ttlMs + 6 * DAY_MS);
    const stale = await mcpRequest(h.server.mcpUrl, { bearer: old, body: initializeBody() });
    expect(stale.status).toBe(401);
    expect(stale.json.error.message).toBe(AUTH_REQUIRED);

    const res = await refresh(old);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ token: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
    const fresh = await mcpRequest(h.server.mcpUrl, {
      bearer: res.json.token,
      body: initializeBody(),
    });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('mcp-session-id')).toBeTruthy();
  });

  it('a token expired 8 days ago is refused with 401', async () => {
    const { business } = await createBusiness(h.db);
    const user = await merchantOf(business.id);
    const ttlMs = h.server.services.config.tokenTtlSeconds * 1000;
    const res = await refresh(await tokenIssuedAgo(user.id, ttlMs + 8 * DAY_MS));
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      error: 'MCP access token expired more than 7 days ago: exchange a Firebase ID token again',
      code: 'UNAUTHORIZED',
    });
    expect(REFRESH_GRACE_SECONDS).toBe(7 * 86_400);
  });

  it('memberships are re-read: a deactivated business is dropped from the refreshed token and the session', async () => {
    const a = await createBusiness(h.db, unique('A Tok'));
    const b = await createBusiness(h.db, unique('B Tok'));
    const user = await merchantOf(a.business.id, b.business.id);
    const first = await exchangeToken(h.server.baseUrl, await user.idToken());
    expect((await h.server.services.core.tokenSigner.verify(first.json.token)).businessIds).toEqual(
      [a.business.id, b.business.id],
    );

    await h.db.businessUser.updateMany({
      where: { userId: user.id, businessId: b.business.id },
      data: { isActive: false },
    });
    const res = await refresh(first.json.token);
    expect(res.status).toBe(200);
    expect((await h.server.services.core.tokenSigner.verify(res.json.token)).businessIds).toEqual([
      a.business.id,
    ]);

    const connected = await connectClient(h.server.mcpUrl, res.json.token);
    try {
      const whoami = toolJson<{
        authorizedBusinesses: { id: string }[];
        activeBusiness: { id: string };
      }>(await connected.client.callTool({ name: 'whoami', arguments: {} }));
      expect(whoami.authorizedBusinesses.map((x) => x.id)).toEqual([a.business.id]);
      expect(whoami.activeBusiness.id).toBe(a.business.id);
      // One business left: set_active_business is no longer offered.
      expect((await connected.client.listTools()).tools.map((t) => t.name)).not.toContain(
        'set_active_business',
      );
    } finally {
      await connected.close();
    }
  });

  it('no active membership left → 403', async () => {
    const { business } = await createBusiness(h.db);
    const user = await merchantOf(business.id);
    const first = await exchangeToken(h.server.baseUrl, await user.idToken());
    expect(first.status).toBe(200);
    await h.db.businessUser.updateMany({ where: { userId: user.id }, data: { isActive: false } });
    const res = await refresh(first.json.token);
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      error: 'No active business membership for this user',
      code: 'FORBIDDEN',
    });
  });

  it('a token for a user that does not exist → 403, never a token', async () => {
    const res = await refresh(await tokenIssuedAgo(crypto.randomUUID(), 60_000));
    expect(res.status).toBe(403);
    expect(res.json.token).toBeUndefined();
  });
});
