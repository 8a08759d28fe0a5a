// /metrics in Prometheus format: HTTP requests, tool calls, authentication
// failures, live sessions, session rebuilds, key-cache hits and misses and
// dependency health, counted by a real server under real traffic; guarded by
// a token when one is configured, and servable on a port of its own.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { startMetricsServer } from '../../src/observability/metrics.routes.ts';
import { createBusiness, createKey, unique } from '../support/fixtures.ts';
import { connectClient, type ConnectedClient } from '../support/mcp-client.ts';
import { registerClient } from '../support/oauth-browser.ts';
import { rawCall, rawInitialize } from '../support/raw-mcp.ts';
import { freePort, startTestServer, uniquePrefix, type TestServer } from '../support/server.ts';

const METRICS_TOKEN = 'metrics-token-0123456789';
let db: TestDatabase;
let a: TestServer | undefined;
let b: TestServer | undefined;
let side: Server | undefined;
const clients: ConnectedClient[] = [];

beforeAll(async () => {
  db = await createTestDatabase('metrics');
  const prefix = uniquePrefix('metrics');
  const env = { METRICS_TOKEN, OAUTH_REGISTRATIONS_PER_HOUR: '1' };
  [a, b] = await Promise.all([
    startTestServer({ databaseUrl: db.url, redis: true, redisKeyPrefix: prefix, env }),
    startTestServer({ databaseUrl: db.url, redis: true, redisKeyPrefix: prefix, env }),
  ]);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  side?.close();
  await a?.close();
  await b?.close();
  await db?.drop();
});

async function scrape(baseUrl: string, token = METRICS_TOKEN) {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The value of one sample, e.g. `flowpos_auth_failures_total{reason="invalid_api_key"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).split(' ')[0] ?? '';
    if (wanted.every((w) => labelText.includes(w))) return Number(line.split(' ').at(-1));
  }
  return Number.NaN;
}

describe('/metrics', () => {
  it('counts requests, tool calls, auth failures, key-cache lookups, sessions and rebuilds', async () => {
    const { business, products } = await createBusiness(db.prisma, unique('Metrics Diner'));
    const { key } = await createKey(db.prisma, { businessId: business.id });
    const client = await connectClient(a!.mcpUrl, key);
    clients.push(client);
    await client.client.callTool({ name: 'whoami', arguments: {} });
    await client.client.callTool({ name: 'get_product', arguments: { sku: products[0]!.sku } });
    await client.client.callTool({ name: 'get_product', arguments: { sku: 'no-such-sku' } });
    expect((await rawInitialize(a!.mcpUrl, 'fp_mcp_not-a-real-key')).status).toBe(401);
    expect((await rawInitialize(a!.mcpUrl, 'eyJ.not.a-token')).status).toBe(401);
    // The session, served by B, which has never seen it: one rebuild there.
    const ref = { sessionId: client.sessionId, bearer: key, protocolVersion: '2025-11-25' };
    expect((await rawCall(b!.mcpUrl, ref, 'tools/list')).status).toBe(200);

    // Counted by route pattern, and requests no route matched as one series.
    expect(
      (await fetch(`${a!.baseUrl}/mcp/keys/${unique('k')}`, { method: 'DELETE' })).status,
    ).toBe(401);
    expect((await fetch(`${a!.baseUrl}/no/such/${unique('path')}`)).status).toBe(404);

    const { status, type, text } = await scrape(a!.baseUrl);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      sample(text, 'flowpos_http_requests_total', {
        method: 'DELETE',
        route: '/mcp/keys/:id',
        status: '401',
      }),
    ).toBe(1);
    expect(
      sample(text, 'flowpos_http_requests_total', {
        method: 'GET',
        route: 'unmatched',
        status: '404',
      }),
    ).toBe(1);
    const post = { method: 'POST', route: '/mcp', status: '200' };
    expect(sample(text, 'flowpos_http_requests_total', post)).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'flowpos_http_request_duration_seconds_count', post)).toBe(
      sample(text, 'flowpos_http_requests_total', post),
    );
    expect(
      sample(text, 'flowpos_mcp_tool_calls_total', { tool: 'whoami', outcome: 'success' }),
    ).toBe(1);
    expect(
      sample(text, 'flowpos_mcp_tool_calls_total', { tool: 'get_product', outcome: 'success' }),
    ).toBe(1);
    expect(
      sample(text, 'flowpos_mcp_tool_calls_total', { tool: 'get_product', outcome: 'failure' }),
    ).toBe(1);
    expect(sample(text, 'flowpos_mcp_tool_call_duration_seconds_count', { tool: 'whoami' })).toBe(
      1,
    );
    expect(sample(text, 'flowpos_auth_failures_total', { reason: 'invalid_api_key' })).toBe(1);
    expect(sample(text, 'flowpos_auth_failures_total', { reason: 'invalid_token' })).toBe(1);
    expect(
      sample(text, 'flowpos_api_key_cache_lookups_total', { result: 'miss' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'flowpos_api_key_cache_lookups_total', { result: 'hit' }),
    ).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'flowpos_mcp_live_sessions')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'flowpos_mcp_session_rebuilds_total')).toBe(0);
    expect(sample(text, 'flowpos_dependency_up', { dependency: 'database' })).toBe(1);
    expect(sample(text, 'flowpos_dependency_up', { dependency: 'redis' })).toBe(1);
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_utilization')).toBeGreaterThanOrEqual(0);
    expect(text).not.toContain(key);

    expect(sample((await scrape(b!.baseUrl)).text, 'flowpos_mcp_session_rebuilds_total')).toBe(1);
  });

  it('counts 429 refusals by route', async () => {
    expect((await registerClient(a!.baseUrl)).status).toBe(201);
    expect((await registerClient(a!.baseUrl)).status).toBe(429);
    const text = (await scrape(a!.baseUrl)).text;
    expect(sample(text, 'flowpos_rate_limit_refusals_total')).toBe(1);
  });

  it('requires the configured token', async () => {
    expect((await fetch(`${a!.baseUrl}/metrics`)).status).toBe(401);
    expect((await scrape(a!.baseUrl, 'wrong-token-0123456789')).status).toBe(401);
    expect((await scrape(a!.baseUrl, METRICS_TOKEN.slice(0, -1))).status).toBe(401);
  });

  it('is served on a port of its own, and only /metrics there', async () => {
    const port = await freePort();
    side = await startMetricsServer(a!.services.metrics!, { host: '127.0.0.1', port });
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('flowpos_http_requests_total');
    expect((await fetch(`http://127.0.0.1:${port}/mcp`)).status).toBe(404);
  });
});
