// Scopes of an OAuth principal: consented ∩ what the role allows, the 403
// insufficient_scope step-up challenge, and who sees which connected apps.
import { cutOffClient, listConnectedApps, loadActorByUserId } from '@flowpos/core';
import { describe, expect, it } from 'vitest';
import { createUser } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';
import { mcpRequest, rawSession, toolsCallBody } from '../support/raw-http.ts';
import { authorizedTokens } from '../support/oauth-flow.ts';
import { waitFor } from '../support/poll.ts';

const h = useHarness('oauth-scopes');

describe('OAuth scopes', () => {
  it('a tool the role allows but the token lacks: 403 insufficient_scope naming the scope to ask for', async () => {
    const t = await authorizedTokens(h, { decision: { scopes: ['pos:read'] } });
    const sessionId = await rawSession(h.server.mcpUrl, t.accessToken);
    const res = await mcpRequest(h.server.mcpUrl, {
      bearer: t.accessToken,
      sessionId,
      body: toolsCallBody('create_sale_intent', { lines: [] }),
    });
    expect(res.status).toBe(403);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer error="insufficient_scope", scope="pos:read pos:intents"/);
    expect(challenge).toContain(
      `resource_metadata="${h.server.baseUrl}/.well-known/oauth-protected-resource"`,
    );
    // whoami describes the OAuth principal (its output schema knows the kind).
    const me = await mcpRequest(h.server.mcpUrl, {
      bearer: t.accessToken,
      sessionId,
      body: toolsCallBody('whoami'),
    });
    expect(me.status).toBe(200);
    expect(me.text).toContain('"kind":"oauth"');
    expect(me.text).not.toContain('isError');
    // A granted scope works on the same session.
    const ok = await mcpRequest(h.server.mcpUrl, {
      bearer: t.accessToken,
      sessionId,
      body: toolsCallBody('list_products'),
    });
    expect(ok.status).toBe(200);
  });

  it('a scope the role does not allow cannot be consented to', async () => {
    await expect(
      authorizedTokens(h, { decision: { scopes: ['pos:read', 'operator'] } }),
    ).rejects.toThrow(/403/);
  });

  it('connected apps: the person sees their own, a merchant their business, an operator all', async () => {
    const t = await authorizedTokens(h);
    const grant = await h.db.oAuthGrant.findFirstOrThrow({ where: { userId: t.user.id } });
    const merchant = await createUser(h.db, {
      memberships: [{ businessId: t.businessId, role: 'merchant' }],
    });
    const developer = await createUser(h.db, {
      memberships: [{ businessId: t.businessId, role: 'tenant_developer' }],
    });
    const operator = await createUser(h.db, { operator: true });
    const sees = async (userId: string) =>
      (await listConnectedApps(h.db, await loadActorByUserId(h.db, userId))).some(
        (g) => g.id === grant.id,
      );
    expect(await sees(t.user.id)).toBe(true);
    expect(await sees(merchant.id)).toBe(true);
    expect(await sees(operator.id)).toBe(true);
    expect(await sees(developer.id)).toBe(false);
  });
});

describe('authorization server housekeeping', () => {
  it('expired records are swept after a grace period (to be reported as expired); live ones stay', async () => {
    const { sweepExpiredOAuthRecords, EXPIRED_RECORD_GRACE_MS } =
      await import('../../src/oauth/oauth-record-sweeper.ts');
    const now = Date.now();
    const kind = `Sweep${now}`;
    await h.db.oAuthRecord.createMany({
      data: [
        { kind, id: 'old', payload: {}, expiresAt: new Date(now - EXPIRED_RECORD_GRACE_MS - 1000) },
        { kind, id: 'just-expired', payload: {}, expiresAt: new Date(now - 60_000) },
        { kind, id: 'live', payload: {}, expiresAt: new Date(now + 60_000) },
      ],
    });
    await sweepExpiredOAuthRecords(h.db, new Date(now));
    const left = await h.db.oAuthRecord.findMany({
      where: { kind },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    expect(left).toEqual([{ id: 'just-expired' }, { id: 'live' }]);
  });

  it('a signing key of its own (Ed25519, public part only on /oauth/jwks)', async () => {
    const jwks = (await (await fetch(`${h.server.baseUrl}/oauth/jwks`)).json()) as {
      keys: { kty: string; crv: string; kid: string; d?: string }[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(jwks.keys[0]?.d).toBeUndefined();
  });
});

describe('OAuth clients in the live view', () => {
  it('a sessionless OAuth client in the live view: cutting it off revokes its grant; its next request is refused', async () => {
    const t = await authorizedTokens(h);
    const grant = await h.db.oAuthGrant.findFirstOrThrow({ where: { userId: t.user.id } });
    const credential = `grant:${grant.id}`;
    const modern = (id: number) =>
      fetch(h.server.mcpUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${t.accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/list',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id,
          method: 'tools/list',
          params: {
            _meta: {
              'io.modelcontextprotocol/protocolVersion': '2026-07-28',
              'io.modelcontextprotocol/clientInfo': { name: 'oauth-live', version: '1' },
              'io.modelcontextprotocol/clientCapabilities': {},
            },
          },
        }),
      });
    expect((await modern(1)).status).toBe(200);
    const merchant = await loadActorByUserId(h.db, t.user.id);
    const listed = async () =>
      (await h.server.services.core.sessions.listClientsFor(merchant)).items.map(
        (c) => c.credential,
      );
    await waitFor(async () => (await listed()).includes(credential), {
      what: 'the OAuth client in the live view',
    });
    const deps = {
      db: h.db,
      audit: h.server.services.core.audit,
      events: h.server.services.core.events,
      sessions: h.server.services.core.sessions,
    };
    await expect(cutOffClient(deps, merchant, credential)).resolves.toEqual({
      revoked: 'oauth_grant',
    });
    expect((await modern(2)).status).toBe(401);
    expect(await listed()).not.toContain(credential);
    expect(
      (await h.db.oAuthGrant.findUniqueOrThrow({ where: { id: grant.id } })).revokedAt,
    ).not.toBeNull();
  });
});
