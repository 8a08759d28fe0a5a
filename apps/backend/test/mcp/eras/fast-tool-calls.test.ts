// The 2026 fast path answers a plain tools/call exactly as the SDK path does
// (status and body, byte for byte, on the same database and credential), and
// hands every other request to the SDK: one server answers through the fast
// path, the other with it switched off (MCP_FAST_TOOL_CALLS=false), and the
// SDK handler's calls are counted on the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../harness/server.ts';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { useHarness } from '../../support/harness.ts';

const MODERN = '2026-07-28';
const TIMEOUT_MS = 400;
const h = useHarness('fastpath', { MCP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
let sdkOnly: TestServer;
let key: string;
let sku: string;
let orderId: string;
let intentsKey: string;
let sdkCalls = 0;

beforeAll(async () => {
  sdkOnly = await startTestServer({
    databaseUrl: h.database.url,
    redis: true,
    env: { MCP_FAST_TOOL_CALLS: 'false', MCP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) },
  });
  const { business, products, order } = await createBusiness(h.db, unique('Fast Path Deli'));
  sku = products[0]!.sku;
  orderId = order.id;
  intentsKey = (await createKey(h.db, { businessId: business.id })).key;
  // pos:read only: the intent tools are hidden from this key.
  key = (await createKey(h.db, { businessId: business.id, scopes: ['pos:read'] })).key;
  const handler = h.server.services.requests.handler;
  const fetchThroughSdk = handler.fetch.bind(handler);
  handler.fetch = (request, options) => {
    sdkCalls++;
    return fetchThroughSdk(request, options);
  };
});

afterAll(async () => {
  await sdkOnly?.close();
});

const envelope = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'fast-path-test', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

interface Call {
  name: string;
  args?: unknown;
  meta?: Record<string, unknown>;
  headers?: Record<string, string>;
  id?: unknown;
  bearer?: string;
}

async function send(server: TestServer, call: Call) {
  const res = await fetch(server.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/call',
      'mcp-name': call.name,
      authorization: `Bearer ${call.bearer ?? key}`,
      ...call.headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: call.id ?? 7,
      method: 'tools/call',
      params: {
        name: call.name,
        arguments: call.args === undefined ? {} : call.args,
        _meta: call.meta ?? envelope,
      },
    }),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

/** The same call on both servers: equal answers; true when the fast server used the SDK. */
async function sameAnswer(call: Call): Promise<boolean> {
  const before = sdkCalls;
  const fast = await send(h.server, call);
  const sdk = await send(sdkOnly, call);
  expect(fast).toEqual(sdk);
  return sdkCalls > before;
}

describe('2026 tools/call fast path', () => {
  it.each([
    ['a product read', () => ({ name: 'get_product', args: { sku } })],
    ['a tool error (not found)', () => ({ name: 'get_product', args: { sku: 'no-such-sku' } })],
    ['a list with defaults applied', () => ({ name: 'list_products', args: {} })],
    ['whoami', () => ({ name: 'whoami' })],
    ['a string id', () => ({ name: 'whoami', id: 'call-1' })],
  ])('answers %s as the SDK does, without the SDK', async (_what, call) => {
    expect(await sameAnswer(call())).toBe(false);
  });

  it.each([
    ['bad arguments', () => ({ name: 'get_product', args: { sku: 5 } })],
    ['null arguments', () => ({ name: 'whoami', args: null })],
    ['arguments in an array', () => ({ name: 'whoami', args: [1] })],
    ['a hidden tool', () => ({ name: 'list_intents' })],
    ['an unknown tool', () => ({ name: 'no_such_tool' })],
    [
      'an Mcp-Name that differs',
      () => ({ name: 'whoami', headers: { 'mcp-name': 'get_product' } }),
    ],
    ['a progress token', () => ({ name: 'whoami', meta: { ...envelope, progressToken: 'p1' } })],
    [
      'a malformed client info',
      () => ({
        name: 'whoami',
        meta: { ...envelope, 'io.modelcontextprotocol/clientInfo': { name: 1 } },
      }),
    ],
    ['a fractional id', () => ({ name: 'whoami', id: 1.5 })],
    [
      'a client capability of the wrong shape',
      () => ({
        name: 'whoami',
        meta: {
          ...envelope,
          'io.modelcontextprotocol/clientCapabilities': { roots: { listChanged: 'yes' } },
        },
      }),
    ],
    [
      'an experimental capability that is not an object',
      () => ({
        name: 'whoami',
        meta: {
          ...envelope,
          'io.modelcontextprotocol/clientCapabilities': { experimental: { x: 1 } },
        },
      }),
    ],
    [
      'a Content-Type that only starts like JSON',
      () => ({ name: 'whoami', headers: { 'content-type': 'application/json-seq' } }),
    ],
  ])('leaves %s to the SDK', async (_what, call) => {
    expect(await sameAnswer(call())).toBe(true);
  });

  it('leaves a proposal called by a client declaring URL elicitation to the SDK (it may ask for approval), and not one without', async () => {
    const propose = (capabilities: Record<string, unknown>) => ({
      name: 'create_refund_intent',
      bearer: intentsKey,
      args: { orderId, reason: 'Fast path check', amountCents: 1 },
      meta: { ...envelope, 'io.modelcontextprotocol/clientCapabilities': capabilities },
    });
    let before = sdkCalls;
    const asked = await send(h.server, propose({ elicitation: { url: {} } }));
    expect(sdkCalls).toBe(before + 1);
    expect(JSON.parse(asked.body).result.resultType).toBe('input_required');
    before = sdkCalls;
    const formOnly = await send(h.server, propose({ elicitation: {} }));
    expect(sdkCalls).toBe(before);
    expect(JSON.parse(formOnly.body).result.structuredContent.status).toBe('pending');
  });

  it('audits a fast call like any other', async () => {
    const flushBoth = () =>
      Promise.all([h.server.services.core.audit.flush(), sdkOnly.services.core.audit.flush()]);
    await flushBoth();
    const before = await h.db.auditEvent.count({ where: { action: 'mcp.tools_call' } });
    expect(await sameAnswer({ name: 'get_product', args: { sku } })).toBe(false);
    await flushBoth();
    expect(await h.db.auditEvent.count({ where: { action: 'mcp.tools_call' } })).toBe(before + 2);
  });

  it('answers a call past its deadline with the same timeout error', async () => {
    // The tool's read waits behind a lock until both servers have given up on it.
    await h.db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('LOCK TABLE product IN ACCESS EXCLUSIVE MODE');
        const before = sdkCalls;
        const [fast, sdk] = await Promise.all([
          send(h.server, { name: 'get_product', args: { sku } }),
          send(sdkOnly, { name: 'get_product', args: { sku } }),
        ]);
        expect(sdkCalls).toBe(before);
        expect(fast).toEqual(sdk);
        expect(JSON.parse(fast.body)).toEqual({
          jsonrpc: '2.0',
          id: 7,
          error: { code: -32001, message: `Request timed out after ${TIMEOUT_MS} ms` },
        });
      },
      { timeout: 20_000 },
    );
  });
});
