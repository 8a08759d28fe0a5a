// What the authorization server refuses, each on its own: PKCE, resource,
// redirect URI, a replayed code, a reused refresh token (the grant dies with
// it), a refresh or a code exchange for another resource (the token or code
// stays good), a revoked grant, and consent denied.
import { describe, expect, it } from 'vitest';
import { createBusiness, createUser } from '../support/fixtures.ts';
import { DATABASE_KINDS, useHarnessOn, type ServerHarness } from '../support/harness.ts';
import { initializeBody, mcpRequest, rawSession, toolsListBody } from '../support/raw-http.ts';
import { authorizeUrl, Browser, pkce, registerClient, trpc } from '../support/oauth-browser.ts';
import {
  authorizedCode,
  authorizedTokens,
  consent,
  exchangeCode,
  pendingConsent,
  refresh,
} from '../support/oauth-flow.ts';
import { waitFor } from '../support/poll.ts';

// On PostgreSQL and on the embedded default: a second use of a code or refresh
// token is caught by the database (an atomic consume) on both.
describe.each(DATABASE_KINDS)('refused on %s', (kind) => {
  refusals(useHarnessOn(kind, `oauth-refusals-${kind}`));
});

function refusals(h: ServerHarness) {
  const mcpStatus = async (bearer: string) =>
    (await mcpRequest(h.server.mcpUrl, { body: initializeBody(), bearer })).status;
  const grantOf = (userId: string) => h.db.oAuthGrant.findFirstOrThrow({ where: { userId } });

  it('a code exchanged without its PKCE verifier', async () => {
    const a = await authorizedCode(h);
    const res = await exchangeCode(h, a, { code_verifier: '' });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_grant');
  });

  it('a code exchanged with the wrong PKCE verifier', async () => {
    const a = await authorizedCode(h);
    const res = await exchangeCode(h, a, { code_verifier: pkce().verifier });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_grant');
  });

  it('an authorization request without PKCE', async () => {
    const reg = await registerClient(h.server.baseUrl);
    const url = authorizeUrl(h.server.baseUrl, {
      clientId: reg.json.client_id as string,
      redirectUri: 'http://127.0.0.1:1/callback',
      challenge: null,
    });
    const res = await new Browser().get(url);
    const location = new URL(res.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it.each([
    ['another resource', 'https://elsewhere.example/mcp'],
    ['no resource', null],
  ])('an authorization request for %s', async (_label, resource) => {
    const reg = await registerClient(h.server.baseUrl);
    const url = authorizeUrl(h.server.baseUrl, {
      clientId: reg.json.client_id as string,
      redirectUri: 'http://127.0.0.1:1/callback',
      resource,
    });
    const res = await new Browser().get(url);
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') as string);
    expect(location.origin).toBe('http://127.0.0.1:1');
    expect(location.searchParams.get('error')).toBe('invalid_target');
    expect(location.searchParams.get('iss')).toBe(h.server.baseUrl);
  });

  it('a redirect_uri the client did not register: an error page, no redirect', async () => {
    const reg = await registerClient(h.server.baseUrl, {
      redirect_uris: ['https://app.example/callback'],
    });
    const url = authorizeUrl(h.server.baseUrl, {
      clientId: reg.json.client_id as string,
      redirectUri: 'https://attacker.example/callback',
    });
    const res = await new Browser().get(url);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(((await res.json()) as { error: string }).error).toBe('invalid_redirect_uri');
  });

  it('not refused: a registration declaring our scopes as a hint, as the SDK sends it', async () => {
    const reg = await registerClient(h.server.baseUrl, {
      scope: 'pos:read pos:intents sessions:read operator',
    });
    expect(reg.status, JSON.stringify(reg.json)).toBe(201);
  });

  it('a registration with a plain-http redirect that is not loopback', async () => {
    const reg = await registerClient(h.server.baseUrl, {
      redirect_uris: ['http://app.example/callback'],
    });
    expect(reg.status).toBe(400);
    expect(reg.json.error).toBe('invalid_redirect_uri');
  });

  it('a replayed code, and the tokens of its first use die with the grant', async () => {
    const a = await authorizedCode(h);
    const first = await exchangeCode(h, a);
    expect(first.status).toBe(200);
    expect(await mcpStatus(first.json.access_token as string)).toBe(200);
    const replay = await exchangeCode(h, a);
    expect(replay.status).toBe(400);
    expect(replay.json.error).toBe('invalid_grant');
    expect(await mcpStatus(first.json.access_token as string)).toBe(401);
    expect((await refresh(h, a.clientId, first.json.refresh_token as string)).status).toBe(400);
  });

  it('a reused refresh token: refused, and the whole grant is dead', async () => {
    const t = await authorizedTokens(h);
    const rotated = await refresh(h, t.clientId, t.refreshToken);
    expect(rotated.status).toBe(200);
    expect(rotated.json.refresh_token).not.toBe(t.refreshToken);
    const fresh = rotated.json.access_token as string;
    expect(await mcpStatus(fresh)).toBe(200);

    const reuse = await refresh(h, t.clientId, t.refreshToken);
    expect(reuse.status).toBe(400);
    expect(reuse.json.error).toBe('invalid_grant');
    // Dead: the rotated refresh token and the access token it gave.
    expect((await refresh(h, t.clientId, rotated.json.refresh_token as string)).status).toBe(400);
    expect(await mcpStatus(fresh)).toBe(401);
    // The grant record follows the provider's revocation event.
    await waitFor(async () => (await grantOf(t.user.id)).revokedAt);
    const audit = await waitFor(async () => {
      await h.server.services.core.audit.flush();
      return h.db.auditEvent.findFirst({
        where: {
          businessId: t.businessId,
          action: { startsWith: 'oauth.' },
          NOT: { action: { in: ['oauth.consented', 'oauth.token_refused'] } },
        },
      });
    });
    expect(audit).toMatchObject({ action: 'oauth.refresh_reuse', outcome: 'denied' });
  });

  it('a refresh for another resource: invalid_target, and the refresh token still works', async () => {
    const t = await authorizedTokens(h);
    const mistaken = await refresh(h, t.clientId, t.refreshToken, {
      resource: 'https://elsewhere.example/mcp',
    });
    expect(mistaken.status).toBe(400);
    expect(mistaken.json.error).toBe('invalid_target');
    // Not spent: the correct refresh is no reuse, and the grant lives.
    const correct = await refresh(h, t.clientId, t.refreshToken);
    expect(correct.status, JSON.stringify(correct.json)).toBe(200);
    expect(await mcpStatus(correct.json.access_token as string)).toBe(200);
    expect((await grantOf(t.user.id)).revokedAt).toBeNull();
  });

  it('a code exchanged for another resource: invalid_target, and the code still works', async () => {
    const a = await authorizedCode(h);
    for (const resource of ['https://elsewhere.example/mcp', `${h.server.mcpUrl}/`]) {
      const mistaken = await exchangeCode(h, a, { resource });
      expect(mistaken.status).toBe(400);
      expect(mistaken.json.error).toBe('invalid_target');
    }
    // Not spent: the correct exchange is no replay, and the grant just consented to lives.
    const correct = await exchangeCode(h, a);
    expect(correct.status, JSON.stringify(correct.json)).toBe(200);
    expect(await mcpStatus(correct.json.access_token as string)).toBe(200);
    expect((await grantOf(a.user.id)).revokedAt).toBeNull();
  });

  it('a grant revoked at the revocation endpoint (RFC 7009): tokens refused, sessions ended', async () => {
    const t = await authorizedTokens(h);
    const sessionId = await rawSession(h.server.mcpUrl, t.accessToken);
    const res = await fetch(`${h.server.baseUrl}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: t.refreshToken, client_id: t.clientId }),
    });
    expect(res.status).toBe(200);
    expect(await mcpStatus(t.accessToken)).toBe(401);
    await waitFor(async () => (await h.server.services.store.get(sessionId)) === null);
    expect((await refresh(h, t.clientId, t.refreshToken)).status).toBe(400);
  });

  it('a grant revoked in the console: refused at once, its session gone', async () => {
    const t = await authorizedTokens(h);
    const sessionId = await rawSession(h.server.mcpUrl, t.accessToken);
    const grant = await grantOf(t.user.id);
    const { revokeConnectedApp, loadActorByUserId } = await import('@flowpos/core');
    await revokeConnectedApp(
      { db: h.db, audit: h.server.services.core.audit, sessions: h.server.services.core.sessions },
      await loadActorByUserId(h.db, t.user.id),
      grant.id,
    );
    const list = await mcpRequest(h.server.mcpUrl, {
      bearer: t.accessToken,
      sessionId,
      body: toolsListBody(),
    });
    expect(list.status).toBe(401);
    expect(await h.server.services.store.get(sessionId)).toBeNull();
  });

  it('a membership turned off (the person is signed out everywhere) revokes their grants', async () => {
    const t = await authorizedTokens(h);
    const owner = await createUser(h.db, {
      memberships: [{ businessId: t.businessId, role: 'merchant' }],
    });
    const { setMemberActive, loadActorByUserId } = await import('@flowpos/core');
    await setMemberActive(
      {
        db: h.db,
        audit: h.server.services.core.audit,
        events: h.server.services.core.events,
        sessions: h.server.services.core.sessions,
      },
      await loadActorByUserId(h.db, owner.id),
      { businessId: t.businessId, userId: t.user.id, isActive: false },
    );
    expect(await mcpStatus(t.accessToken)).toBe(401);
    expect((await grantOf(t.user.id)).revokedAt).not.toBeNull();
  });

  it('consent denied: the client gets access_denied with state and iss', async () => {
    const { back, user } = await consent(h, {
      state: 'deny-state',
      decision: { allow: false, businessId: undefined },
    });
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('deny-state');
    expect(back.searchParams.get('iss')).toBe(h.server.baseUrl);
    expect(await h.db.oAuthGrant.count({ where: { userId: user.id } })).toBe(0);
  });

  it('a decision finished by another browser (without the interaction cookie)', async () => {
    const { business } = await createBusiness(h.db);
    const user = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
    });
    const attacker = new Browser();
    const uid = await pendingConsent(h, attacker);
    const decided = await trpc<{ redirectTo: string }>(
      h.server.baseUrl,
      await user.idToken(),
      'oauth.decide',
      { uid, allow: true, businessId: business.id },
      'mutation',
    );
    // The victim's browser has no interaction cookie: refused.
    const victim = await new Browser().get(decided.data.redirectTo);
    expect(victim.status).toBe(400);
    // The attacker's browser has the cookie but not the ticket: refused too.
    const guess = await attacker.get(decided.data.redirectTo.replace(/ticket=[^&]+/, 'ticket=x'));
    expect(guess.status).toBe(400);
  });
}
