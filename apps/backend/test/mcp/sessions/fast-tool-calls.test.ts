// The 2025 fast path answers a plain tools/call (or ping) on a session exactly as the
// session's SDK server does (status, headers that matter and body, byte for
// byte), and hands every other request to the SDK server: two instances share
// the store, so the same session is served by one through the fast path and by
// the other with it switched off (MCP_FAST_TOOL_CALLS=false); the fast path's
// calls are counted on both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../harness/server.ts';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { useHarness } from '../../support/harness.ts';
import { ACCEPT_BOTH, initializeBody } from '../../support/raw-http.ts';
import { waitFor } from '../../support/poll.ts';

const TIMEOUT_MS = 400;
const h = useHarness('fast25', { MCP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
let sdkOnly: TestServer;
let key: string;
let sku: string;
const fastCalls = new Map<TestServer, number>();

function countFastCalls(server: TestServer) {
  fastCalls.set(server, 0);
  const sessions = server.services.sessions;
  const answerPlain = sessions.answerPlain.bind(sessions);
  sessions.answerPlain = (...args) => {
    const answer = answerPlain(...args);
    if (answer) fastCalls.set(server, (fastCalls.get(server) ?? 0) + 1);
    return answer;
  };
}

beforeAll(async () => {
  sdkOnly = await startTestServer({
    databaseUrl: h.database.url,
    redis: true,
    redisKeyPrefix: h.server.services.config.redisKeyPrefix,
    env: { MCP_FAST_TOOL_CALLS: 'false', MCP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) },
  });
  const { business, products } = await createBusiness(h.db, unique('Session Fast Deli'));
  sku = products[0]!.sku;
  // pos:read only: the intent tools are hidden from this key.
  key = (await createKey(h.db, { businessId: business.id, scopes: ['pos:read'] })).key;
  countFastCalls(h.server);
  countFastCalls(sdkOnly);
});

afterAll(async () => {
  await sdkOnly?.close();
});

const headers = (sessionId: string, version: string) => ({
  'content-type': 'application/json',
  accept: ACCEPT_BOTH,
  authorization: `Bearer ${key}`,
  'mcp-session-id': sessionId,
  'mcp-protocol-version': version,
});

async function post(server: TestServer, sessionId: string, version: string, body: unknown) {
  const res = await fetch(server.mcpUrl, {
    method: 'POST',
    headers: headers(sessionId, version),
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    session: res.headers.get('mcp-session-id'),
    body: await res.text(),
  };
}

/** A session opened on the fast server (which the other rebuilds from the store). */
async function openSession(version = '2025-11-25'): Promise<string> {
  const init = initializeBody(1, 'fast-session-test');
  const res = await fetch(h.server.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: ACCEPT_BOTH,
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({ ...init, params: { ...init.params, protocolVersion: version } }),
  });
  expect(res.status).toBe(200);
  const sessionId = res.headers.get('mcp-session-id')!;
  const done = await post(h.server, sessionId, version, {
    jsonrpc: '2.0',
    method: 'notifications/initialized',
  });
  expect(done.status).toBe(202);
  return sessionId;
}

const call = (name: string, args?: unknown, id: unknown = 7, extra: object = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, ...(args === undefined ? {} : { arguments: args }), ...extra },
});

let session: string;
beforeAll(async () => {
  session = await openSession();
});

/** The same request on both servers: equal answers; true when the fast server took the fast path. */
async function sameAnswer(body: unknown, sessionId = session, version = '2025-11-25') {
  const before = fastCalls.get(h.server);
  const fast = await post(h.server, sessionId, version, body);
  const sdk = await post(sdkOnly, sessionId, version, body);
  expect(fast).toEqual(sdk);
  expect(fastCalls.get(sdkOnly)).toBe(0);
  return fastCalls.get(h.server) !== before;
}

describe('2025 session tools/call fast path', () => {
  it.each([
    ['a product read', () => call('get_product', { sku })],
    ['a tool error (not found)', () => call('get_product', { sku: 'no-such-sku' })],
    ['a list with defaults applied', () => call('list_products', {})],
    ['whoami (session id included)', () => call('whoami', {})],
    ['absent arguments', () => call('whoami')],
    ['a string id', () => call('whoami', {}, 'call-1')],
    ['a ping', () => ({ jsonrpc: '2.0', id: 8, method: 'ping' })],
    ['a ping with empty params', () => ({ jsonrpc: '2.0', id: 'p', method: 'ping', params: {} })],
  ])('answers %s as the SDK server does, without it', async (_what, body) => {
    expect(await sameAnswer(body())).toBe(true);
  });

  it.each(['2025-06-18', '2025-03-26', '2024-11-05'])(
    'answers as the SDK server does on a session that negotiated %s',
    async (version) => {
      const older = await openSession(version);
      expect(await sameAnswer(call('get_product', { sku }), older, version)).toBe(true);
      expect(await sameAnswer(call('whoami', {}), older, version)).toBe(true);
    },
  );

  it.each([
    ['bad arguments', () => call('get_product', { sku: 5 })],
    ['null arguments', () => call('whoami', null)],
    ['arguments in an array', () => call('whoami', [1])],
    ['a hidden tool', () => call('list_intents', {})],
    ['an unknown tool', () => call('no_such_tool', {})],
    ['a progress token', () => call('whoami', {}, 7, { _meta: { progressToken: 'p1' } })],
    ['a fractional id', () => call('whoami', {}, 1.5)],
    ['a batch of one', () => [call('whoami', {})]],
    [
      'a ping with a progress token',
      () => ({ jsonrpc: '2.0', id: 9, method: 'ping', params: { _meta: { progressToken: 1 } } }),
    ],
  ])('leaves %s to the SDK server', async (_what, body) => {
    expect(await sameAnswer(body())).toBe(false);
  });

  it('audits a fast call like any other', async () => {
    const flushBoth = () =>
      Promise.all([h.server.services.core.audit.flush(), sdkOnly.services.core.audit.flush()]);
    await flushBoth();
    const before = await h.db.auditEvent.count({ where: { action: 'mcp.tools_call' } });
    expect(await sameAnswer(call('get_product', { sku }))).toBe(true);
    await flushBoth();
    expect(await h.db.auditEvent.count({ where: { action: 'mcp.tools_call' } })).toBe(before + 2);
  });

  it('answers a call past its deadline, and an id already in flight, as the SDK server does', async () => {
    // The tool's read waits behind a lock until both servers have given up on it.
    await h.db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('LOCK TABLE product IN ACCESS EXCLUSIVE MODE');
        const before = fastCalls.get(h.server)!;
        const slow = call('get_product', { sku }, 'slow');
        const [fast, sdk] = [
          post(h.server, session, '2025-11-25', slow),
          post(sdkOnly, session, '2025-11-25', slow),
        ];
        await waitFor(() => h.server.services.sessions.pendingRequests === 1);
        await waitFor(() => sdkOnly.services.sessions.pendingRequests === 1);
        const [fastAgain, sdkAgain] = await Promise.all([
          post(h.server, session, '2025-11-25', slow),
          post(sdkOnly, session, '2025-11-25', slow),
        ]);
        expect(fastAgain).toEqual(sdkAgain);
        expect(JSON.parse(fastAgain.body).error.message).toMatch(/already in use/);
        const [fastDone, sdkDone] = await Promise.all([fast, sdk]);
        expect(fastCalls.get(h.server)).toBe(before + 2);
        expect(fastDone).toEqual(sdkDone);
        expect(JSON.parse(fastDone.body)).toEqual({
          jsonrpc: '2.0',
          id: 'slow',
          error: { code: -32001, message: `Request timed out after ${TIMEOUT_MS} ms` },
        });
        expect(h.server.services.sessions.pendingRequests).toBe(0);
      },
      { timeout: 20_000 },
    );
  });

  it('drops a call whose client went away, cancels its work and leaves nothing pending', async () => {
    const cancelledCalls = async () => {
      await Promise.all([
        h.server.services.core.audit.flush(),
        sdkOnly.services.core.audit.flush(),
      ]);
      const events = await h.db.auditEvent.findMany({ where: { action: 'mcp.tools_call' } });
      return events.filter((e) => (e.details as { error?: string } | null)?.error === 'cancelled')
        .length;
    };
    const before = await cancelledCalls();
    await h.db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('LOCK TABLE product IN ACCESS EXCLUSIVE MODE');
        const gone = new AbortController();
        const sent = fetch(h.server.mcpUrl, {
          method: 'POST',
          headers: headers(session, '2025-11-25'),
          body: JSON.stringify(call('get_product', { sku }, 'gone')),
          signal: gone.signal,
        }).catch(() => undefined);
        await waitFor(() => h.server.services.sessions.pendingRequests === 1);
        gone.abort();
        await sent;
        await waitFor(() => h.server.services.sessions.pendingRequests === 0);
      },
      { timeout: 20_000 },
    );
    expect(await cancelledCalls()).toBe(before + 1);
    // The session goes on serving.
    expect(await sameAnswer(call('whoami', {}, 'after'))).toBe(true);
  });
});
