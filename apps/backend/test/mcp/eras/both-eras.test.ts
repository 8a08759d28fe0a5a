// One /mcp endpoint, both protocol eras, on two instances sharing PostgreSQL
// and Redis: a v1 SDK client (2025 sessions), a v2 SDK client negotiating
// 2026-07-28 (`versionNegotiation: { mode: 'auto' }`), and the 2026 wire rules
// seen raw (server/discover, -32022, header checks, 405, cache hints).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { Client as V2Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActorByUserId, updateApiKeyScopes } from '@flowpos/core';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { signerLike } from '../../support/harness.ts';
import { connectClient, toolJson } from '../../support/mcp-client.ts';
import { waitFor } from '../../support/poll.ts';
import { createDbUser } from '../../support/shared-services.ts';
import { startTestServer, uniquePrefix, type TestServer } from '../../support/server.ts';

const MODERN = '2026-07-28';
let db: TestDatabase;
let a: TestServer;
let b: TestServer;
let bizX: Awaited<ReturnType<typeof createBusiness>>;
let bizY: Awaited<ReturnType<typeof createBusiness>>;
let merchantKey: string;

beforeAll(async () => {
  db = await createTestDatabase('eras');
  const prefix = uniquePrefix('eras');
  a = await startTestServer({ databaseUrl: db.url, redis: true, redisKeyPrefix: prefix });
  // Instance B shares A's public URL (tokens name it as audience), store and database.
  b = await startTestServer({
    databaseUrl: db.url,
    redis: true,
    redisKeyPrefix: prefix,
    env: { PUBLIC_BASE_URL: a.baseUrl, INSTANCE_ID: 'instance-b' },
  });
  bizX = await createBusiness(db.prisma, unique('Xavier Cafe'));
  bizY = await createBusiness(db.prisma, unique('Yellow Deli'));
  merchantKey = (await createKey(db.prisma, { businessId: bizX.business.id })).key;
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await db?.drop();
});

/** B's real address, for a client that must reach instance B. */
const bMcpUrl = () => `http://127.0.0.1:${(b.app.server.address() as { port: number }).port}/mcp`;

async function modernClient(url: string, bearer: string) {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
  });
  const client = new V2Client(
    { name: 'modern-test', version: '2.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(transport);
  return client;
}

function modernHeaders(bearer: string, method: string, name?: string) {
  return {
    authorization: `Bearer ${bearer}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN,
    'mcp-method': method,
    ...(name ? { 'mcp-name': name } : {}),
  };
}

function envelope(extra: Record<string, unknown> = {}) {
  return {
    _meta: {
      'io.modelcontextprotocol/protocolVersion': MODERN,
      'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
    ...extra,
  };
}

async function post(url: string, headers: Record<string, string>, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

describe('clients of both eras', () => {
  it('a v2 client negotiates 2026-07-28, lists and calls tools on either instance', async () => {
    for (const url of [a.mcpUrl, bMcpUrl()]) {
      const client = await modernClient(url, merchantKey);
      try {
        expect(client.getProtocolEra()).toBe('modern');
        const names = (await client.listTools()).tools.map((t) => t.name);
        expect(names).toContain('list_products');
        expect(names).not.toContain('set_active_business');
        const result = await client.callTool({ name: 'whoami', arguments: {} });
        expect(result.structuredContent).toMatchObject({
          kind: 'api_key',
          activeBusiness: { id: bizX.business.id },
          sessionId: null,
        });
        expect(toolJson(result)).toEqual(result.structuredContent);
      } finally {
        await client.close();
      }
    }
  });

  it('a v1 client keeps its 2025 session on the same endpoint', async () => {
    const c = await connectClient(a.mcpUrl, merchantKey);
    try {
      expect(c.sessionId).toBeTruthy();
      const result = await c.client.callTool({ name: 'whoami', arguments: {} });
      expect(toolJson(result)).toMatchObject({ sessionId: c.sessionId, kind: 'api_key' });
    } finally {
      await c.close();
    }
  });
});

const INSPECTOR = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/inspector/clients/launcher/build/index.js',
);

/** The MCP Inspector's CLI (what people run by hand), one method call. */
function inspector(url: string, bearer: string, args: string[]) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        INSPECTOR,
        '--cli',
        url,
        '--transport',
        'http',
        '--header',
        `Authorization: Bearer ${bearer}`,
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('exit', (code) => resolve({ code: code ?? 1, out, err }));
  });
}

describe('the MCP Inspector CLI', () => {
  it('lists and calls tools on either instance', async () => {
    for (const url of [a.mcpUrl, bMcpUrl()]) {
      const list = await inspector(url, merchantKey, ['--method', 'tools/list']);
      expect(list.code, list.err).toBe(0);
      expect(JSON.parse(list.out).tools.map((t: { name: string }) => t.name)).toContain(
        'list_products',
      );
      const call = await inspector(url, merchantKey, [
        '--method',
        'tools/call',
        '--tool-name',
        'whoami',
      ]);
      expect(call.code, call.err).toBe(0);
      expect(JSON.parse(call.out).structuredContent).toMatchObject({
        activeBusiness: { id: bizX.business.id },
      });
    }
  }, 60_000);
});

describe('the 2026-07-28 wire', () => {
  it('server/discover lists 2026-07-28; an unknown revision gets -32022 with the supported list', async () => {
    const discover = await post(a.mcpUrl, modernHeaders(merchantKey, 'server/discover'), {
      jsonrpc: '2.0',
      id: 1,
      method: 'server/discover',
      params: envelope(),
    });
    expect(discover.status).toBe(200);
    expect(discover.json.result.supportedVersions).toEqual([MODERN]);
    expect(discover.json.result.capabilities.tools).toBeDefined();

    const future = '2099-01-01';
    const unsupported = await post(
      a.mcpUrl,
      { ...modernHeaders(merchantKey, 'tools/list'), 'mcp-protocol-version': future },
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/list',
        params: {
          _meta: { ...envelope()._meta, 'io.modelcontextprotocol/protocolVersion': future },
        },
      },
    );
    expect(unsupported.json.error.code).toBe(-32022);
    expect(unsupported.json.error.data.supported).toContain(MODERN);
  });

  it('Mcp-Method and Mcp-Name must match the body: 400 otherwise', async () => {
    const call = {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: envelope({ name: 'whoami', arguments: {} }),
    };
    const wrongMethod = await post(a.mcpUrl, modernHeaders(merchantKey, 'tools/list'), call);
    expect(wrongMethod.status).toBe(400);
    expect(wrongMethod.json.error.code).toBe(-32020);
    const wrongName = await post(
      a.mcpUrl,
      modernHeaders(merchantKey, 'tools/call', 'list_products'),
      call,
    );
    expect(wrongName.status).toBe(400);
    const right = await post(a.mcpUrl, modernHeaders(merchantKey, 'tools/call', 'whoami'), call);
    expect(right.status).toBe(200);
    expect(right.json.result.structuredContent.kind).toBe('api_key');
  });

  it('bad tool arguments on 2026-07-28: -32602 for a non-object, one isError line for wrong types', async () => {
    const call = (id: number, name: string, args: unknown) =>
      post(a.mcpUrl, modernHeaders(merchantKey, 'tools/call', name), {
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: envelope({ name, arguments: args }),
      });
    for (const args of [null, [1, 2]]) {
      const refused = await call(5, 'list_products', args);
      expect(refused.status).toBeLessThan(500);
      expect(refused.json.error.code).toBe(-32602);
    }
    const wrong = await call(6, 'list_orders', { from: '11/29/2026', limit: 'ten' });
    expect(wrong.json.result.isError).toBe(true);
    const text = wrong.json.result.content[0].text as string;
    expect(text).toContain('from: 11/29/2026 is not an ISO 8601 date');
    expect(text).not.toContain('\n');
  });

  it('tools/list carries private cache hints with a TTL, in a stable order', async () => {
    const list = async () =>
      post(a.mcpUrl, modernHeaders(merchantKey, 'tools/list'), {
        jsonrpc: '2.0',
        id: 4,
        method: 'tools/list',
        params: envelope(),
      });
    const first = await list();
    expect(first.json.result.cacheScope).toBe('private');
    expect(first.json.result.ttlMs).toBeGreaterThan(0);
    const names = (r: typeof first) => r.json.result.tools.map((t: { name: string }) => t.name);
    expect(names(await list())).toEqual(names(first));
    for (const tool of first.json.result.tools) expect(tool.outputSchema.type).toBe('object');
  });

  it('GET and DELETE with a 2026 claim: 405', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(a.mcpUrl, {
        method,
        headers: {
          authorization: `Bearer ${merchantKey}`,
          'mcp-protocol-version': MODERN,
          accept: 'text/event-stream',
        },
      });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });

  it('a 2026 request without credentials gets the runbook 401', async () => {
    const res = await post(
      a.mcpUrl,
      { ...modernHeaders('', 'tools/list'), authorization: '' },
      { jsonrpc: '2.0', id: 5, method: 'tools/list', params: envelope() },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
  });
});

describe('prompts and resources', () => {
  it('list and read within the active business only, with cache hints', async () => {
    const client = await modernClient(a.mcpUrl, merchantKey);
    try {
      const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
      expect(prompts).toEqual(['end_of_day_report', 'product_sales', 'restock_suggestions']);
      const report = await client.getPrompt({
        name: 'end_of_day_report',
        arguments: { date: '2026-11-29' },
      });
      const first = report.messages[0]?.content;
      expect(first?.type === 'text' && first.text).toContain('2026-11-29');

      const uris = (await client.listResources()).resources.map((r) => r.uri);
      // The views (ui://) are listed too: views.test.ts covers them.
      expect(uris.filter((u) => !u.startsWith('ui://'))).toEqual([
        'flowpos://business/profile',
        'flowpos://business/catalog',
      ]);
      const templates = (await client.listResourceTemplates()).resourceTemplates;
      expect(templates.map((t) => t.uriTemplate)).toEqual([
        'flowpos://business/products/{productId}',
      ]);
      const profile = await client.readResource({ uri: 'flowpos://business/profile' });
      const text = (r: typeof profile) => {
        const c = r.contents[0];
        return JSON.parse(c && 'text' in c ? c.text : 'null');
      };
      expect(text(profile)).toMatchObject({ id: bizX.business.id, name: bizX.business.name });
      const own = bizX.products[0]!.id;
      const product = await client.readResource({ uri: `flowpos://business/products/${own}` });
      expect(text(product)).toMatchObject({ id: own });
      // Another business's product is not found, exactly like a missing one.
      const foreign = bizY.products[0]!.id;
      await expect(
        client.readResource({ uri: `flowpos://business/products/${foreign}` }),
      ).rejects.toThrow(/not found/i);
    } finally {
      await client.close();
    }
    const raw = await post(a.mcpUrl, modernHeaders(merchantKey, 'prompts/list'), {
      jsonrpc: '2.0',
      id: 8,
      method: 'prompts/list',
      params: envelope(),
    });
    expect(raw.json.result).toMatchObject({ cacheScope: 'private', ttlMs: expect.any(Number) });
  });
});

describe('subscriptions/listen', () => {
  it('a scope change made on one instance reaches a 2026 client listening on the other', async () => {
    const { key, row } = await createKey(db.prisma, {
      businessId: bizX.business.id,
      scopes: ['pos:read', 'pos:intents', 'sessions:read'],
    });
    const owner = await createDbUser(db.prisma, {
      email: `${unique('listen-owner')}@test.flowpos`,
      memberships: [{ businessId: bizX.business.id, role: 'merchant' }],
    });
    const client = await modernClient(bMcpUrl(), key);
    let notified = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      notified++;
    });
    try {
      const names = async () => (await client.listTools()).tools.map((t) => t.name);
      expect(await names()).toContain('create_sale_intent');
      // Resolves once instance B has acknowledged the stream.
      const subscription = await client.listen({ toolsListChanged: true });
      expect(subscription.honoredFilter.toolsListChanged).toBe(true);
      await updateApiKeyScopes(
        {
          db: a.services.database.prisma,
          audit: a.services.audit,
          events: a.services.events,
          sessions: a.services.directory,
        },
        await loadActorByUserId(db.prisma, owner.id),
        { keyId: row.id, scopes: ['pos:read', 'sessions:read'] },
      );
      await waitFor(() => notified > 0, {
        timeoutMs: 5_000,
        what: 'notifications/tools/list_changed on the listen stream',
      });
      expect(await names()).not.toContain('create_sale_intent');
    } finally {
      await client.close();
    }
  });
});

describe('set_active_business without a session', () => {
  it('persists per credential, across requests and instances', async () => {
    const user = await createDbUser(db.prisma, {
      email: `${unique('two-biz')}@test.flowpos`,
      memberships: [
        { businessId: bizX.business.id, role: 'merchant' },
        { businessId: bizY.business.id, role: 'merchant' },
      ],
    });
    const { token } = await signerLike(a.services).sign({
      sub: user.id,
      email: user.email,
      role: 'merchant',
      businessIds: [bizX.business.id, bizY.business.id],
    });
    const onA = await modernClient(a.mcpUrl, token);
    const onB = await modernClient(bMcpUrl(), token);
    try {
      const before = await onB.callTool({ name: 'whoami', arguments: {} });
      const start = (before.structuredContent as { activeBusiness: { id: string } }).activeBusiness
        .id;
      const other = start === bizX.business.id ? bizY.business.id : bizX.business.id;
      const switched = await onA.callTool({
        name: 'set_active_business',
        arguments: { businessId: other },
      });
      expect(switched.isError).toBeFalsy();
      const after = await onB.callTool({ name: 'list_products', arguments: {} });
      const products = (after.structuredContent as { products: { name: string }[] }).products;
      const otherName = other === bizX.business.id ? bizX.business.name : bizY.business.name;
      expect(products.length).toBeGreaterThan(0);
      for (const p of products) expect(p.name.startsWith(otherName)).toBe(true);
    } finally {
      await onA.close();
      await onB.close();
    }
  });
});

describe('browsers', () => {
  it('CORS preflight: loopback origins on any port are allowed, others refused', async () => {
    const preflight = (origin: string) =>
      fetch(a.mcpUrl, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, mcp-protocol-version',
        },
      });
    const ok = await preflight('http://localhost:6274');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    expect(ok.headers.get('access-control-allow-headers')).toContain('Mcp-Session-Id');
    expect((await preflight('https://evil.example')).status).toBe(403);

    const init = await fetch(a.mcpUrl, {
      method: 'POST',
      headers: { ...modernHeaders(merchantKey, 'tools/list'), origin: 'http://127.0.0.1:6274' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'tools/list', params: envelope() }),
    });
    expect(init.status).toBe(200);
    expect(init.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:6274');
    expect(init.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
  });

  it('a foreign Host header is refused (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        a.mcpUrl,
        {
          method: 'POST',
          headers: { ...modernHeaders(merchantKey, 'tools/list'), host: 'evil.example' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: envelope() }));
    });
    expect(status).toBe(403);
  });
});
