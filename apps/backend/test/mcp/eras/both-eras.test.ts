// One /mcp endpoint, both protocol eras, on two instances sharing PostgreSQL
// and Redis: a v1 SDK client (2025 sessions) and a v2 SDK client negotiating
// 2026-07-28 (`versionNegotiation: { mode: 'auto' }`), the MCP Inspector CLI,
// the active business without a session, and browsers (CORS, Host).
// The 2026 wire rules seen raw are in modern-wire.test.ts.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { unique } from '../../support/fixtures.ts';
import { signerLike } from '../../support/harness.ts';
import { connectClient, connectModernClient, toolJson } from '../../support/mcp-client.ts';
import { envelope, modernHeaders } from '../../support/modern-wire.ts';
import { createDbUser } from '../../support/shared-services.ts';
import { ownMcpUrl, useTwoInstances, useTwoShops } from '../../support/two-instances.ts';

const h = useTwoInstances('eras');
const shops = useTwoShops(h);

describe('clients of both eras', () => {
  it('a v2 client negotiates 2026-07-28, lists and calls tools on either instance', async () => {
    for (const url of [h.a.mcpUrl, ownMcpUrl(h.b)]) {
      const client = await connectModernClient(url, shops().merchantKey);
      try {
        expect(client.getProtocolEra()).toBe('modern');
        const names = (await client.listTools()).tools.map((t) => t.name);
        expect(names).toContain('list_products');
        expect(names).not.toContain('set_active_business');
        const result = await client.callTool({ name: 'whoami', arguments: {} });
        expect(result.structuredContent).toMatchObject({
          kind: 'api_key',
          activeBusiness: { id: shops().bizX.business.id },
          sessionId: null,
        });
        expect(toolJson(result)).toEqual(result.structuredContent);
      } finally {
        await client.close();
      }
    }
  });

  it('a v1 client keeps its 2025 session on the same endpoint', async () => {
    const c = await connectClient(h.a.mcpUrl, shops().merchantKey);
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
    for (const url of [h.a.mcpUrl, ownMcpUrl(h.b)]) {
      const list = await inspector(url, shops().merchantKey, ['--method', 'tools/list']);
      expect(list.code, list.err).toBe(0);
      expect(JSON.parse(list.out).tools.map((t: { name: string }) => t.name)).toContain(
        'list_products',
      );
      const call = await inspector(url, shops().merchantKey, [
        '--method',
        'tools/call',
        '--tool-name',
        'whoami',
      ]);
      expect(call.code, call.err).toBe(0);
      expect(JSON.parse(call.out).structuredContent).toMatchObject({
        activeBusiness: { id: shops().bizX.business.id },
      });
    }
  }, 60_000);
});

describe('set_active_business without a session', () => {
  it('persists per credential, across requests and instances', async () => {
    const user = await createDbUser(h.db.prisma, {
      email: `${unique('two-biz')}@test.flowpos`,
      memberships: [
        { businessId: shops().bizX.business.id, role: 'merchant' },
        { businessId: shops().bizY.business.id, role: 'merchant' },
      ],
    });
    const { token } = await signerLike(h.a.services).sign({
      sub: user.id,
      email: user.email,
      role: 'merchant',
      businessIds: [shops().bizX.business.id, shops().bizY.business.id],
    });
    const onA = await connectModernClient(h.a.mcpUrl, token);
    const onB = await connectModernClient(ownMcpUrl(h.b), token);
    try {
      const before = await onB.callTool({ name: 'whoami', arguments: {} });
      const start = (before.structuredContent as { activeBusiness: { id: string } }).activeBusiness
        .id;
      const other =
        start === shops().bizX.business.id ? shops().bizY.business.id : shops().bizX.business.id;
      const switched = await onA.callTool({
        name: 'set_active_business',
        arguments: { businessId: other },
      });
      expect(switched.isError).toBeFalsy();
      const after = await onB.callTool({ name: 'list_products', arguments: {} });
      const products = (after.structuredContent as { products: { name: string }[] }).products;
      const otherName =
        other === shops().bizX.business.id
          ? shops().bizX.business.name
          : shops().bizY.business.name;
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
      fetch(h.a.mcpUrl, {
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

    const init = await fetch(h.a.mcpUrl, {
      method: 'POST',
      headers: {
        ...modernHeaders(shops().merchantKey, 'tools/list'),
        origin: 'http://127.0.0.1:6274',
      },
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
        h.a.mcpUrl,
        {
          method: 'POST',
          headers: { ...modernHeaders(shops().merchantKey, 'tools/list'), host: 'evil.example' },
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
