// Throttling: failed authentication on /mcp per client address, /mcp/token
// and refresh per address, /mcp/keys and tRPC per user, and a per-credential
// budget on authenticated /mcp traffic. 429 + Retry-After (a JSON-RPC error
// on /mcp); counters in Redis are shared by instances; TRUST_PROXY decides
// whether X-Forwarded-For names the client; memory on the embedded default.
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createKey, createUser } from '../support/fixtures.ts';
import {
  AUTH_REQUIRED,
  initializeBody,
  mcpRequest,
  postJson,
  type RawResponse,
} from '../support/raw-http.ts';
import { startTestServer, uniquePrefix, type TestServer } from '../support/server.ts';

const LIMITS = {
  RATE_LIMIT_AUTH_FAILURES: '3',
  RATE_LIMIT_TOKEN: '3',
  RATE_LIMIT_USER: '3',
  RATE_LIMIT_MCP: '4',
};

let database: TestDatabase;
/** Behind a proxy (TRUST_PROXY=true) and, on the same Redis prefix, one that trusts no proxy. */
let proxied: TestServer;
let direct: TestServer;
/** The embedded default: no Redis, counters in memory. */
let embedded: TestServer;

beforeAll(async () => {
  database = await createTestDatabase('rate-limits');
  const redisKeyPrefix = uniquePrefix('rl');
  const common = { databaseUrl: database.url, redis: true, redisKeyPrefix };
  proxied = await startTestServer({ ...common, env: { ...LIMITS, TRUST_PROXY: 'true' } });
  direct = await startTestServer({ ...common, env: LIMITS });
  embedded = await startTestServer({ databaseUrl: database.url, env: LIMITS });
});
afterAll(async () => {
  for (const server of [proxied, direct, embedded]) await server?.close();
  await database?.drop();
});

const from = (address: string) => ({ 'x-forwarded-for': address });

function expectMcp429(res: RawResponse) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.json).toEqual({
    jsonrpc: '2.0',
    error: { code: -32000, message: expect.stringMatching(/^Too many requests: retry in \d+ s$/) },
    id: null,
  });
}

function expectHttp429(res: { status: number; headers: Headers; json: unknown }) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
}

describe('failed authentication on /mcp, per client address', () => {
  it('after the budget of 401s, the address gets 429 with Retry-After, even with a valid key', async () => {
    const { business } = await createBusiness(database.prisma, undefined, 0);
    const { key } = await createKey(database.prisma, { businessId: business.id });
    const attacker = from('203.0.113.10');
    for (let i = 0; i < 3; i++) {
      const res = await mcpRequest(proxied.mcpUrl, {
        bearer: `guess-${i}`,
        body: initializeBody(),
        headers: attacker,
      });
      expect(res.status).toBe(401);
      expect(res.json.error.message).toBe(AUTH_REQUIRED);
    }
    expectMcp429(
      await mcpRequest(proxied.mcpUrl, {
        bearer: 'guess-4',
        body: initializeBody(),
        headers: attacker,
      }),
    );
    expectMcp429(
      await mcpRequest(proxied.mcpUrl, { bearer: key, body: initializeBody(), headers: attacker }),
    );
    // Another address behind the same proxy is not affected.
    const other = await mcpRequest(proxied.mcpUrl, {
      bearer: key,
      body: initializeBody(),
      headers: from('203.0.113.11'),
    });
    expect(other.status).toBe(200);
  });

  it('the embedded default (no Redis) counts 401s in memory, then 429', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await mcpRequest(embedded.mcpUrl, {
        bearer: `guess-${i}`,
        body: initializeBody(),
      });
      expect(res.status).toBe(401);
    }
    expectMcp429(await mcpRequest(embedded.mcpUrl, { bearer: 'guess-4', body: initializeBody() }));
  });

  it('the count is shared by instances (Redis), and X-Forwarded-For is ignored without TRUST_PROXY', async () => {
    // Three failures through the proxy-trusting instance, as 127.0.0.1 ...
    for (let i = 0; i < 3; i++) {
      const res = await mcpRequest(proxied.mcpUrl, {
        bearer: `guess-${i}`,
        body: initializeBody(),
        headers: from('127.0.0.1'),
      });
      expect(res.status).toBe(401);
    }
    // ... block 127.0.0.1 on the other instance, whatever it claims to forward.
    expectMcp429(
      await mcpRequest(direct.mcpUrl, {
        bearer: 'guess',
        body: initializeBody(),
        headers: from('198.51.100.7'),
      }),
    );
  });
});

describe('/mcp/token and refresh, per client address', () => {
  it('both routes share one budget; then 429 with Retry-After', async () => {
    const client = from('203.0.113.20');
    const token = (body: unknown) => postJson(`${proxied.baseUrl}/mcp/token`, body, client);
    const refresh = (body: unknown) =>
      postJson(`${proxied.baseUrl}/mcp/token/refresh`, body, client);
    expect((await token({ firebaseIdToken: 'x' })).status).toBe(401);
    expect((await refresh({ token: 'x' })).status).toBe(401);
    expect((await token({ firebaseIdToken: 'x' })).status).toBe(401);
    const refused = await refresh({ token: 'x' });
    expectHttp429(refused);
    expect(refused.json).toEqual({
      error: expect.stringMatching(/^Too many requests/),
      code: 'TOO_MANY_REQUESTS',
    });
  });

  it('the embedded default (no Redis) throttles too, in memory', async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (await postJson(`${embedded.baseUrl}/mcp/token`, { firebaseIdToken: 'x' })).status,
      ).toBe(401);
    }
    expectHttp429(await postJson(`${embedded.baseUrl}/mcp/token`, { firebaseIdToken: 'x' }));
  });
});

describe('/mcp/keys and tRPC, per user', () => {
  it('a user over budget gets 429 on both; another user does not', async () => {
    const { business } = await createBusiness(database.prisma, undefined, 0);
    const busy = await createUser(database.prisma, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
      label: 'busy',
    });
    const calm = await createUser(database.prisma, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
      label: 'calm',
    });
    const keys = async (idToken: string) => {
      const res = await fetch(`${proxied.baseUrl}/mcp/keys?businessId=${business.id}`, {
        headers: { authorization: `Bearer ${idToken}` },
      });
      return { status: res.status, headers: res.headers, json: (await res.json()) as unknown };
    };
    const me = async (idToken: string) => {
      const res = await fetch(`${proxied.baseUrl}/trpc/me.get`, {
        headers: { authorization: `Bearer ${idToken}` },
      });
      return { status: res.status, headers: res.headers, json: (await res.json()) as unknown };
    };
    const busyToken = await busy.idToken();
    expect((await keys(busyToken)).status).toBe(200);
    expect((await me(busyToken)).status).toBe(200);
    expect((await keys(busyToken)).status).toBe(200);
    const keysRefused = await keys(busyToken);
    expectHttp429(keysRefused);
    expect(keysRefused.json).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expectHttp429(await me(busyToken));
    expect((await me(await calm.idToken())).status).toBe(200);
  });
});

describe('authenticated /mcp traffic, per credential', () => {
  it('a key over its budget gets a JSON-RPC 429; another key does not', async () => {
    const { business } = await createBusiness(database.prisma, undefined, 0);
    const { key } = await createKey(database.prisma, { businessId: business.id });
    const { key: other } = await createKey(database.prisma, { businessId: business.id });
    const client = from('203.0.113.30');
    for (let i = 0; i < 4; i++) {
      const res = await mcpRequest(proxied.mcpUrl, {
        bearer: key,
        body: initializeBody(),
        headers: client,
      });
      expect(res.status).toBe(200);
    }
    expectMcp429(
      await mcpRequest(proxied.mcpUrl, { bearer: key, body: initializeBody(), headers: client }),
    );
    const fine = await mcpRequest(proxied.mcpUrl, {
      bearer: other,
      body: initializeBody(),
      headers: client,
    });
    expect(fine.status).toBe(200);
  });
});
