// RUNBOOK §1 symptom table, row by row, reproduced with raw HTTP against the
// real server and asserted with the exact status and message a client sees.
import { generateApiKey } from '@flowpos/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBusiness, createKey, createUser, unique } from '../support/fixtures.ts';
import { connectClient, toolJson } from '../support/mcp-client.ts';
import { startTestServer } from '../support/server.ts';
import {
  algNoneToken,
  AUTH_REQUIRED,
  exchangeToken,
  initializeBody,
  mcpRequest,
  openSse,
  postJson,
  rawSession,
  redisSessionKey,
  signerLike,
  toolsCallBody,
  toolsListBody,
  useHarness,
} from '../support/harness.ts';

const h = useHarness('symptoms');
let redis: Redis;
let businessId: string;
let validKey: string;
let validToken: string;
let userId: string;

beforeAll(async () => {
  redis = new Redis(h.server.services.config.redisUrl as string);
  const { business } = await createBusiness(h.db);
  businessId = business.id;
  validKey = (await createKey(h.db, { businessId })).key;
  const user = await createUser(h.db, {
    memberships: [{ businessId, role: 'merchant' }],
    label: 'symptoms',
  });
  userId = user.id;
  validToken = (await exchangeToken(h.server.baseUrl, await user.idToken())).json.token;
});
afterAll(async () => {
  redis?.disconnect();
});

function expectAuthRequired(res: { status: number; json: unknown; headers: Headers }) {
  expect(res.status).toBe(401);
  expect(res.json).toEqual({
    jsonrpc: '2.0',
    error: { code: -32000, message: AUTH_REQUIRED },
    id: null,
  });
  expect(res.headers.get('www-authenticate')).toBe(
    `Bearer resource_metadata="${h.server.baseUrl}/.well-known/oauth-protected-resource", scope="pos:read pos:intents sessions:read operator"`,
  );
}

describe('401 Authentication required on POST, GET and DELETE /mcp', () => {
  const badCredentials: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    [
      'a revoked key',
      async () => `Bearer ${(await createKey(h.db, { businessId, revoked: true })).key}`,
    ],
    [
      'an expired key',
      async () =>
        `Bearer ${(await createKey(h.db, { businessId, expiresAt: new Date(Date.now() - 60_000) })).key}`,
    ],
    [
      'an inactive key',
      async () => `Bearer ${(await createKey(h.db, { businessId, isActive: false })).key}`,
    ],
    ['a malformed key', async () => 'Bearer fp_mcp_not-hex-at-all'],
    [
      'a key failing its checksum',
      async () => {
        const { key } = await createKey(h.db, { businessId });
        const last = key.at(-1) === '0' ? '1' : '0';
        return `Bearer ${key.slice(0, -1)}${last}`;
      },
    ],
    ['an unknown well-formed key', async () => `Bearer ${generateApiKey()}`],
    ['an alg:none JWT', async () => `Bearer ${algNoneToken(h.server.services, userId)}`],
    [
      'a JWT signed with another secret',
      async () => {
        const other = signerLike(h.server.services, {
          secret: 'another-secret-that-is-long-enough-to-sign!!',
        });
        return `Bearer ${(await other.sign({ sub: userId, email: 'x@test', role: 'merchant', businessIds: [businessId] })).token}`;
      },
    ],
    [
      'an expired JWT',
      async () => {
        const signer = signerLike(h.server.services);
        const old = Date.now() - (signer.ttlSeconds + 60) * 1000;
        return `Bearer ${(await signer.sign({ sub: userId, email: 'x@test', role: 'merchant', businessIds: [businessId] }, old)).token}`;
      },
    ],
    ['a Basic scheme', async () => `Basic ${Buffer.from('user:pass').toString('base64')}`],
  ];

  it('the valid key and token are accepted (control for the rows below)', async () => {
    for (const bearer of [validKey, validToken]) {
      const res = await mcpRequest(h.server.mcpUrl, { bearer, body: initializeBody() });
      expect(res.status).toBe(200);
      expect(res.headers.get('mcp-session-id')).toBeTruthy();
    }
  });

  it.each(badCredentials)('%s', async (_label, make) => {
    const authorization = await make();
    const sessionId = await rawSession(h.server.mcpUrl, validKey);
    const auth = authorization === undefined ? {} : { authorization };
    expectAuthRequired(await mcpRequest(h.server.mcpUrl, { ...auth, body: initializeBody() }));
    expectAuthRequired(
      await mcpRequest(h.server.mcpUrl, { ...auth, sessionId, body: toolsListBody() }),
    );
    expectAuthRequired(await mcpRequest(h.server.mcpUrl, { ...auth, method: 'GET', sessionId }));
    expectAuthRequired(await mcpRequest(h.server.mcpUrl, { ...auth, method: 'DELETE', sessionId }));
    // The refused DELETE ended nothing.
    expect(await h.server.services.store.get(sessionId)).not.toBeNull();
  });
});

describe('an expiring key', () => {
  it('its sessions end at its expiry: gone from the shared store every instance reads', async () => {
    const expiresAt = new Date(Date.now() + 1_500);
    const { key } = await createKey(h.db, { businessId, expiresAt });
    const sessionId = await rawSession(h.server.mcpUrl, key);
    const { store, directory } = h.server.services;
    expect((await store.get(sessionId))?.expiresAt).toBe(expiresAt.getTime());
    expect((await directory.list()).items.map((s) => s.id)).toContain(sessionId);
    await vi.waitFor(
      async () => expect((await directory.list()).items.map((s) => s.id)).not.toContain(sessionId),
      { timeout: 10_000, interval: 100 },
    );
    expect(await store.get(sessionId)).toBeNull();
    expectAuthRequired(
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
      sub: userId,
      email: 'x@test',
      role: 'merchant',
      businessIds: [businessId],
    });
    const res = await postJson(`${h.server.baseUrl}/mcp/token/refresh`, { token });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'Invalid MCP access token', code: 'UNAUTHORIZED' });
  });

  it('a tampered payload (signature no longer matches)', async () => {
    const [header, payload, signature] = validToken.split('.') as [string, string, string];
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
      token: algNoneToken(h.server.services, userId),
    });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('Invalid MCP access token');
  });
});

describe('400 mcp-session-id header required', () => {
  it.each(['POST', 'GET', 'DELETE'] as const)(
    '%s /mcp with valid auth and no session header',
    async (method) => {
      const res = await mcpRequest(h.server.mcpUrl, {
        method,
        bearer: validKey,
        ...(method === 'POST' ? { body: toolsListBody() } : {}),
      });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        jsonrpc: '2.0',
        error: { code: -32000, message: 'mcp-session-id header required' },
        id: null,
      });
    },
  );
});

describe('404 Unknown session ID (the runbook says 400; DESIGN.md: the MCP spec requires 404)', () => {
  const expectUnknown = (res: { status: number; json: unknown }) => {
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      jsonrpc: '2.0',
      error: { code: -32001, message: 'Unknown session ID' },
      id: null,
    });
  };

  it('an id that never existed, on POST, GET and DELETE', async () => {
    const sessionId = crypto.randomUUID();
    expectUnknown(
      await mcpRequest(h.server.mcpUrl, { bearer: validKey, sessionId, body: toolsListBody() }),
    );
    expectUnknown(
      await mcpRequest(h.server.mcpUrl, { bearer: validKey, method: 'GET', sessionId }),
    );
    expectUnknown(
      await mcpRequest(h.server.mcpUrl, { bearer: validKey, method: 'DELETE', sessionId }),
    );
  });

  it('another credential presenting a live session id is refused as if it did not exist', async () => {
    const owner = (await createKey(h.db, { businessId })).key;
    const sessionId = await rawSession(h.server.mcpUrl, owner);
    const sameBusinessKey = (await createKey(h.db, { businessId })).key;
    for (const intruder of [sameBusinessKey, validToken]) {
      expectUnknown(
        await mcpRequest(h.server.mcpUrl, {
          bearer: intruder,
          sessionId,
          body: toolsCallBody('whoami'),
        }),
      );
      expectUnknown(
        await mcpRequest(h.server.mcpUrl, { bearer: intruder, method: 'GET', sessionId }),
      );
      expectUnknown(
        await mcpRequest(h.server.mcpUrl, { bearer: intruder, method: 'DELETE', sessionId }),
      );
    }
    // The owner's session is untouched.
    const res = await mcpRequest(h.server.mcpUrl, {
      bearer: owner,
      sessionId,
      body: toolsCallBody('whoami'),
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.json.result.content[0].text).sessionId).toBe(sessionId);
  });

  it('another user presenting a V2 session id is refused', async () => {
    const { business } = await createBusiness(h.db);
    const a = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
      label: 'owner',
    });
    const b = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
      label: 'other',
    });
    const tokenA = (await exchangeToken(h.server.baseUrl, await a.idToken())).json.token;
    const tokenB = (await exchangeToken(h.server.baseUrl, await b.idToken())).json.token;
    const sessionId = await rawSession(h.server.mcpUrl, tokenA);
    expectUnknown(
      await mcpRequest(h.server.mcpUrl, {
        bearer: tokenB,
        sessionId,
        body: toolsCallBody('whoami'),
      }),
    );
    expect(
      (
        await mcpRequest(h.server.mcpUrl, {
          bearer: tokenA,
          sessionId,
          body: toolsCallBody('whoami'),
        })
      ).status,
    ).toBe(200);
  });
});

describe('auth is checked before the session lookup', () => {
  it('bad auth + unknown session → 401, not 404', async () => {
    const sessionId = crypto.randomUUID();
    for (const method of ['POST', 'GET', 'DELETE'] as const) {
      expectAuthRequired(
        await mcpRequest(h.server.mcpUrl, {
          method,
          bearer: generateApiKey(),
          sessionId,
          ...(method === 'POST' ? { body: toolsListBody() } : {}),
        }),
      );
    }
  });

  it('no auth + no session header → 401, not 400', async () => {
    expectAuthRequired(await mcpRequest(h.server.mcpUrl, { body: toolsListBody() }));
  });

  it('SSE without auth is refused before a stream opens', async () => {
    const sessionId = await rawSession(h.server.mcpUrl, validKey);
    const sse = await openSse(h.server.mcpUrl, undefined, sessionId);
    expect(sse.status).toBe(401);
    expect(JSON.parse(sse.text).error.message).toBe(AUTH_REQUIRED);
  });
});

describe('tool missing from tools/list: scope and role filtering', () => {
  async function toolNames(bearer: string) {
    const connected = await connectClient(h.server.mcpUrl, bearer);
    try {
      return (await connected.client.listTools()).tools.map((t) => t.name).sort();
    } finally {
      await connected.close();
    }
  }

  it('a key without pos:intents has no intent tools; with them it has', async () => {
    const without = (await createKey(h.db, { businessId, scopes: ['pos:read', 'sessions:read'] }))
      .key;
    const withIntents = (
      await createKey(h.db, { businessId, scopes: ['pos:read', 'pos:intents', 'sessions:read'] })
    ).key;
    expect(await toolNames(without)).toEqual([
      'end_of_day_report',
      'get_product',
      'get_sales_summary',
      'list_orders',
      'list_products',
      'whoami',
    ]);
    expect(await toolNames(withIntents)).toEqual([
      'cancel_intent',
      'create_refund_intent',
      'create_sale_intent',
      'end_of_day_report',
      'get_product',
      'get_sales_summary',
      'list_intents',
      'list_orders',
      'list_products',
      'whoami',
    ]);
  });

  it('a key without pos:read has no catalog or order tools', async () => {
    const key = (await createKey(h.db, { businessId, scopes: ['sessions:read'] })).key;
    expect(await toolNames(key)).toEqual(['whoami']);
  });
});

describe('set_active_business takes effect', () => {
  it('whoami shows the new business on the next call, and Redis mcp:session:{id} holds it', async () => {
    const first = await createBusiness(h.db, unique('A Symptoms'));
    const second = await createBusiness(h.db, unique('B Symptoms'));
    const user = await createUser(h.db, {
      memberships: [
        { businessId: first.business.id, role: 'merchant' },
        { businessId: second.business.id, role: 'merchant' },
      ],
      label: 'switcher',
    });
    const token = (await exchangeToken(h.server.baseUrl, await user.idToken())).json.token;
    const connected = await connectClient(h.server.mcpUrl, token);
    try {
      const whoami = async () =>
        toolJson<{ activeBusiness: { id: string } }>(
          await connected.client.callTool({ name: 'whoami', arguments: {} }),
        ).activeBusiness.id;
      expect(await whoami()).toBe(first.business.id);
      const switched = await connected.client.callTool({
        name: 'set_active_business',
        arguments: { businessId: second.business.id },
      });
      expect(switched.isError).toBeFalsy();
      expect(await whoami()).toBe(second.business.id);

      const stored = JSON.parse(
        (await redis.get(redisSessionKey(h.server.services, connected.sessionId))) as string,
      );
      expect(stored.principal.activeBusinessId).toBe(second.business.id);
      expect(stored.id).toBe(connected.sessionId);

      // Tools now work on the new business.
      const products = toolJson<{ products: { id: string }[] }>(
        await connected.client.callTool({ name: 'list_products', arguments: {} }),
      );
      expect(products.products.map((p) => p.id).sort()).toEqual(
        second.products.map((p) => p.id).sort(),
      );

      // Another instance (same database and Redis, nothing in memory) serves the session with the new business.
      const other = await startTestServer({
        databaseUrl: h.database.url,
        redis: true,
        redisKeyPrefix: h.server.services.config.redisKeyPrefix,
        // Same public URL: a token's issuer and audience are the deployment's, not the instance's.
        env: { PUBLIC_BASE_URL: h.server.baseUrl },
      });
      try {
        const raw = await mcpRequest(`http://127.0.0.1:${other.services.config.port}/mcp`, {
          bearer: token,
          sessionId: connected.sessionId,
          body: toolsCallBody('whoami'),
        });
        expect(raw.status).toBe(200);
        expect(JSON.parse(raw.json.result.content[0].text).activeBusiness.id).toBe(
          second.business.id,
        );
      } finally {
        await other.close();
      }
    } finally {
      await connected.close();
    }
  });
});
