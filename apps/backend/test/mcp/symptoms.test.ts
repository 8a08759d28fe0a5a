// RUNBOOK §1 symptom table, row by row, reproduced with raw HTTP against the
// real server and asserted with the exact status and message a client sees:
// the 401 rows of /mcp, /mcp/token and its refresh. The session rows (400,
// 404, tools missing, the active business) are in session-symptoms.test.ts.
import { generateApiKey } from '@flowpos/core';
import { describe, expect, it, vi } from 'vitest';
import { createBusiness, createKey, createUser } from '../support/fixtures.ts';
import { algNoneToken, signerLike } from '../support/harness.ts';
import {
  exchangeToken,
  initializeBody,
  mcpRequest,
  postJson,
  rawSession,
  toolsCallBody,
  toolsListBody,
} from '../support/raw-http.ts';
import { expectAuthRequired, useSymptomSetup } from '../support/symptom-setup.ts';

const { h, valid } = useSymptomSetup('symptoms');

describe('401 Authentication required on POST, GET and DELETE /mcp', () => {
  const badCredentials: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    [
      'a revoked key',
      async () =>
        `Bearer ${(await createKey(h.db, { businessId: valid().businessId, revoked: true })).key}`,
    ],
    [
      'an expired key',
      async () =>
        `Bearer ${(await createKey(h.db, { businessId: valid().businessId, expiresAt: new Date(Date.now() - 60_000) })).key}`,
    ],
    [
      'an inactive key',
      async () =>
        `Bearer ${(await createKey(h.db, { businessId: valid().businessId, isActive: false })).key}`,
    ],
    ['a malformed key', async () => 'Bearer fp_mcp_not-hex-at-all'],
    [
      'a key failing its checksum',
      async () => {
        const { key } = await createKey(h.db, { businessId: valid().businessId });
        const last = key.at(-1) === '0' ? '1' : '0';
        return `Bearer ${key.slice(0, -1)}${last}`;
      },
    ],
    ['an unknown well-formed key', async () => `Bearer ${generateApiKey()}`],
    ['an alg:none JWT', async () => `Bearer ${algNoneToken(h.server.services, valid().userId)}`],
    [
      'a JWT signed with another secret',
      async () => {
        const other = signerLike(h.server.services, {
          secret: 'another-secret-that-is-long-enough-to-sign!!',
        });
        return `Bearer ${(await other.sign({ sub: valid().userId, email: 'x@test', role: 'merchant', businessIds: [valid().businessId] })).token}`;
      },
    ],
    [
      'an expired JWT',
      async () => {
        const signer = signerLike(h.server.services);
        const old = Date.now() - (signer.ttlSeconds + 60) * 1000;
        return `Bearer ${(await signer.sign({ sub: valid().userId, email: 'x@test', role: 'merchant', businessIds: [valid().businessId] }, old)).token}`;
      },
    ],
    ['a Basic scheme', async () => `Basic ${Buffer.from('user:pass').toString('base64')}`],
  ];

  it('the valid key and token are accepted (control for the rows below)', async () => {
    for (const bearer of [valid().validKey, valid().validToken]) {
      const res = await mcpRequest(h.server.mcpUrl, { bearer, body: initializeBody() });
      expect(res.status).toBe(200);
      expect(res.headers.get('mcp-session-id')).toBeTruthy();
    }
  });

  it.each(badCredentials)('%s', async (_label, make) => {
    const authorization = await make();
    const sessionId = await rawSession(h.server.mcpUrl, valid().validKey);
    const auth = authorization === undefined ? {} : { authorization };
    expectAuthRequired(h, await mcpRequest(h.server.mcpUrl, { ...auth, body: initializeBody() }));
    expectAuthRequired(
      h,
      await mcpRequest(h.server.mcpUrl, { ...auth, sessionId, body: toolsListBody() }),
    );
    expectAuthRequired(h, await mcpRequest(h.server.mcpUrl, { ...auth, method: 'GET', sessionId }));
    expectAuthRequired(
      h,
      await mcpRequest(h.server.mcpUrl, { ...auth, method: 'DELETE', sessionId }),
    );
    // The refused DELETE ended nothing.
    expect(await h.server.services.store.get(sessionId)).not.toBeNull();
  });
});

describe('an expiring key', () => {
  it('its sessions end at its expiry: gone from the shared store every instance reads', async () => {
    const expiresAt = new Date(Date.now() + 1_500);
    const { key } = await createKey(h.db, { businessId: valid().businessId, expiresAt });
    const sessionId = await rawSession(h.server.mcpUrl, key);
    const {
      store,
      core: { sessions: directory },
    } = h.server.services;
    expect((await store.get(sessionId))?.expiresAt).toBe(expiresAt.getTime());
    expect((await directory.list()).items.map((s) => s.id)).toContain(sessionId);
    await vi.waitFor(
      async () => expect((await directory.list()).items.map((s) => s.id)).not.toContain(sessionId),
      { timeout: 10_000, interval: 100 },
    );
    expect(await store.get(sessionId)).toBeNull();
    expectAuthRequired(
      h,
      await mcpRequest(h.server.mcpUrl, { bearer: key, sessionId, body: toolsCallBody('whoami') }),
    );
  });
});

describe('401 on POST /mcp/token', () => {
  it.each([
    ['garbage', 'not-a-firebase-token'],
    ['an MCP token in place of a Firebase token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
  ])('a bad Firebase ID token (%s) is refused', async (_label, firebaseIdToken) => {
    const res = await exchangeToken(h.server.baseUrl, firebaseIdToken);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      error: 'Invalid or expired Firebase ID token',
      code: 'UNAUTHORIZED',
    });
  });

  it('403 for a user whose only membership is inactive', async () => {
    const { business } = await createBusiness(h.db);
    const user = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant', isActive: false }],
      label: 'inactive',
    });
    const res = await exchangeToken(h.server.baseUrl, await user.idToken());
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      error: 'No active business membership for this user',
      code: 'FORBIDDEN',
    });
  });
});

describe('401 on POST /mcp/token/refresh', () => {
  it('a token with a bad signature', async () => {
    const other = signerLike(h.server.services, {
      secret: 'another-secret-that-is-long-enough-to-sign!!',
    });
    const { token } = await other.sign({
      sub: valid().userId,
      email: 'x@test',
      role: 'merchant',
      businessIds: [valid().businessId],
    });
    const res = await postJson(`${h.server.baseUrl}/mcp/token/refresh`, { token });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'Invalid MCP access token', code: 'UNAUTHORIZED' });
  });

  it('a tampered payload (signature no longer matches)', async () => {
    const [header, payload, signature] = valid().validToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'platform_operator' })).toString(
      'base64url',
    );
    const res = await postJson(`${h.server.baseUrl}/mcp/token/refresh`, {
      token: `${header}.${forged}.${signature}`,
    });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('Invalid MCP access token');
  });

  it('an alg:none token', async () => {
    const res = await postJson(`${h.server.baseUrl}/mcp/token/refresh`, {
      token: algNoneToken(h.server.services, valid().userId),
    });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('Invalid MCP access token');
  });
});
