// DESIGN "Malformed JSON, wrong content type, oversize bodies, bad JSON-RPC:
// 4xx with a JSON-RPC error, never 500", Origin checks and invalid tool
// arguments; nothing is written on a refused request. /mcp/token's input
// errors are in token-input.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createKey } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';
import { initializeBody, mcpRequest, rawSession, toolsCallBody } from '../support/raw-http.ts';

const h = useHarness('badinput');
let key: string;
let sessionId: string;
let businessId: string;
let orderId: string;

beforeAll(async () => {
  const created = await createBusiness(h.db);
  businessId = created.business.id;
  orderId = created.order.id;
  key = (await createKey(h.db, { businessId })).key;
  sessionId = await rawSession(h.server.mcpUrl, key);
});

function expectJsonRpcError(
  res: { status: number; json: unknown },
  status: number,
  code: number,
  message: string,
) {
  expect(res.status).toBe(status);
  expect(res.json).toEqual({ jsonrpc: '2.0', error: { code, message }, id: null });
}

describe('POST /mcp transport-level refusals', () => {
  it('malformed JSON → 400 -32700', async () => {
    for (const rawBody of ['{"jsonrpc": "2.0", "id": 1, "method":', 'not json', '']) {
      const res = await mcpRequest(h.server.mcpUrl, { bearer: key, sessionId, rawBody });
      expectJsonRpcError(res, 400, -32700, 'Parse error: Invalid JSON');
    }
  });

  it('wrong Content-Type → 415', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await mcpRequest(h.server.mcpUrl, {
        bearer: key,
        body: initializeBody(),
        headers: { 'content-type': contentType },
      });
      expectJsonRpcError(
        res,
        415,
        -32000,
        'Unsupported Media Type: Content-Type must be application/json',
      );
      expect(res.headers.get('mcp-session-id')).toBeNull();
    }
  });

  it('wrong Accept → 406', async () => {
    for (const accept of ['application/json', 'text/event-stream', 'text/html']) {
      const res = await mcpRequest(h.server.mcpUrl, {
        bearer: key,
        body: initializeBody(),
        headers: { accept },
      });
      expectJsonRpcError(
        res,
        406,
        -32000,
        'Not Acceptable: Client must accept both application/json and text/event-stream',
      );
    }
  });

  it('a body over the limit → 413', async () => {
    const limit = h.server.services.config.maxBodyBytes;
    const body = toolsCallBody('list_products', { search: 'x'.repeat(limit + 10) });
    const res = await mcpRequest(h.server.mcpUrl, { bearer: key, sessionId, body });
    expectJsonRpcError(res, 413, -32600, 'Request body too large');
  });

  it('JSON that is not JSON-RPC 2.0 → 400 -32600', async () => {
    const bodies = [
      { hello: 'world' },
      [],
      [{ jsonrpc: '1.0', id: 1, method: 'ping' }],
      { jsonrpc: '2.0', id: 1, method: 42 },
      'a string',
      7,
      null,
    ];
    for (const body of bodies) {
      const res = await mcpRequest(h.server.mcpUrl, {
        bearer: key,
        sessionId,
        rawBody: JSON.stringify(body),
      });
      expectJsonRpcError(res, 400, -32600, 'Invalid Request: not a JSON-RPC 2.0 message');
    }
  });

  it('initialize inside a batch → 400', async () => {
    const res = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: [initializeBody(1), initializeBody(2)],
    });
    expectJsonRpcError(res, 400, -32600, 'Invalid Request: initialize must be sent alone');
  });

  it('an unknown method → JSON-RPC -32601', async () => {
    const res = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: { jsonrpc: '2.0', id: 77, method: 'pos/teleport', params: {} },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      jsonrpc: '2.0',
      id: 77,
      error: { code: -32601, message: 'Method not found' },
    });
  });

  it('odd but well-formed JSON-RPC never gives a 500', async () => {
    const bodies = [
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: 'x' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { arguments: {} } },
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'whoami', arguments: 'x' } },
      { jsonrpc: '2.0', id: { nested: true }, method: 'tools/list' },
      { jsonrpc: '2.0', id: 4, method: 'tools/list', params: [1, 2] },
      { jsonrpc: '2.0', id: 5, result: {} },
      { jsonrpc: '2.0', method: 'notifications/unknown' },
    ];
    for (const body of bodies) {
      const res = await mcpRequest(h.server.mcpUrl, { bearer: key, sessionId, body });
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
      if (res.text) expect(res.json.jsonrpc).toBe('2.0');
    }
    // The session still works.
    const ok = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: toolsCallBody('whoami'),
    });
    expect(ok.status).toBe(200);
  });
});

describe('invalid tool arguments', () => {
  it('arguments that are not an object → -32602 with one line, not -32603 with a dump', async () => {
    for (const [args, kind] of [
      [null, 'null'],
      [[1], 'an array'],
      [7, 'a number'],
    ] as const) {
      const res = await mcpRequest(h.server.mcpUrl, {
        bearer: key,
        sessionId,
        body: {
          jsonrpc: '2.0',
          id: 9,
          method: 'tools/call',
          params: { name: 'whoami', arguments: args },
        },
      });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        jsonrpc: '2.0',
        id: 9,
        error: {
          code: -32602,
          message: `Invalid params: arguments must be an object of named arguments, not ${kind}`,
        },
      });
    }
  });

  it('name the field, and write nothing', async () => {
    const intents = await h.db.intent.count();
    const cases: [string, Record<string, unknown>, string][] = [
      ['create_sale_intent', { lines: [{ productId: 'not-a-uuid', quantity: 1 }] }, 'lines'],
      ['create_sale_intent', { lines: [] }, 'lines'],
      ['create_refund_intent', { orderId }, 'reason'],
      ['create_refund_intent', { orderId, reason: 'x', amountCents: -5 }, 'amountCents'],
      ['get_product', { productId: 'nope' }, 'productId'],
      ['list_orders', { from: 'yesterday-ish' }, 'from'],
    ];
    for (const [tool, args, field] of cases) {
      const res = await mcpRequest(h.server.mcpUrl, {
        bearer: key,
        sessionId,
        body: toolsCallBody(tool, args),
      });
      expect(res.status).toBe(200);
      expect(res.json.result.isError).toBe(true);
      const text = res.json.result.content[0].text as string;
      expect(text).toContain(`Invalid arguments for tool ${tool}`);
      expect(text).toContain(field);
      expect(text).not.toContain('\n');
    }
    expect(await h.db.intent.count()).toBe(intents);
    expect(await h.db.intent.count({ where: { businessId } })).toBe(0);
  });

  it('a domain-level refusal (amount above the order total) writes nothing either', async () => {
    const res = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: toolsCallBody('create_refund_intent', {
        orderId,
        reason: 'too much',
        amountCents: 10_000_000,
      }),
    });
    expect(res.json.result.isError).toBe(true);
    expect(res.json.result.content[0].text).toMatch(
      /^A refund of \$100,000\.00 exceeds what remains refundable on this order/,
    );
    expect(await h.db.intent.count({ where: { businessId } })).toBe(0);
  });
});

describe('Origin', () => {
  it('a disallowed Origin → 403, no session', async () => {
    const res = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      body: initializeBody(),
      headers: { origin: 'https://evil.example' },
    });
    expectJsonRpcError(res, 403, -32000, 'Forbidden: Origin not allowed');
    expect(res.headers.get('mcp-session-id')).toBeNull();
    for (const method of ['GET', 'DELETE'] as const) {
      const other = await mcpRequest(h.server.mcpUrl, {
        method,
        bearer: key,
        sessionId,
        headers: { origin: 'https://evil.example' },
      });
      expect(other.status).toBe(403);
    }
    expect(await h.server.services.store.get(sessionId)).not.toBeNull();
  });

  it('an allowed Origin is served', async () => {
    const allowed = h.server.services.config.allowedOrigins;
    expect(allowed).toContain('http://127.0.0.1:3000');
    for (const origin of allowed) {
      const res = await mcpRequest(h.server.mcpUrl, {
        bearer: key,
        body: initializeBody(),
        headers: { origin },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('mcp-session-id')).toBeTruthy();
    }
  });
});
