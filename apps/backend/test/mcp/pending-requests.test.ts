// Every pending MCP request ends: a request past MCP_REQUEST_TIMEOUT_MS is
// answered with a timeout error, and a client that goes away takes its
// request with it; either way the server cancels the work (the diagnostic
// tool sees its request's signal abort) and nothing stays pending, on both
// protocol eras.
import { cancellationProbe } from '@flowpos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../harness/server.ts';
import { createBusiness, createKey } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';
import { mcpRequest, rawSession } from '../support/raw-http.ts';
import { waitFor } from '../support/poll.ts';

const MODERN = '2026-07-28';
const TIMEOUT_MS = 400;
const WAIT_TOOL = 'test_wait_for_cancel';

const h = useHarness('pending', { MCP_TEST_TOOLS: 'true' });
/** The same database, with a short request timeout. */
let hasty: TestServer;
let key: string;

beforeAll(async () => {
  hasty = await startTestServer({
    databaseUrl: h.database.url,
    redis: true,
    env: { MCP_TEST_TOOLS: 'true', MCP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) },
  });
  const { business } = await createBusiness(h.db, undefined, 0);
  key = (await createKey(h.db, { businessId: business.id })).key;
});

afterAll(async () => {
  await hasty?.close();
});

const callWait = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: WAIT_TOOL, arguments: {} },
});

const modernCall = (id: number) => ({
  ...callWait(id),
  params: {
    name: WAIT_TOOL,
    arguments: {},
    _meta: {
      'io.modelcontextprotocol/protocolVersion': MODERN,
      'io.modelcontextprotocol/clientInfo': { name: 'pending-test', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
});

const modernHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': MODERN,
  'mcp-method': 'tools/call',
  'mcp-name': WAIT_TOOL,
};

const pending = (server: TestServer) => ({
  '2025': server.services.sessions.pendingRequests,
  '2026': server.services.requests.inFlight,
});

/** Sends a request, waits until the tool is waiting on it, then drops the connection. */
async function callThenDisconnect(send: (signal: AbortSignal) => Promise<unknown>) {
  const before = { ...cancellationProbe };
  const gone = new AbortController();
  const call = send(gone.signal).catch((error: unknown) => error);
  await waitFor(() => cancellationProbe.waiting > before.waiting, {
    what: 'the tool waiting on its request',
  });
  gone.abort();
  expect(await call).toMatchObject({ name: 'AbortError' });
  await waitFor(() => cancellationProbe.cancelled > before.cancelled, {
    what: 'the server cancelling the abandoned request',
  });
}

describe('a request past its deadline', () => {
  it('2025 session: answered with -32001, cancelled on the server, and the session goes on', async () => {
    const before = cancellationProbe.cancelled;
    const sessionId = await rawSession(hasty.mcpUrl, key);
    const res = await mcpRequest(hasty.mcpUrl, { bearer: key, sessionId, body: callWait(41) });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      jsonrpc: '2.0',
      id: 41,
      error: { code: -32001, message: `Request timed out after ${TIMEOUT_MS} ms` },
    });
    await waitFor(() => cancellationProbe.cancelled > before, { what: 'the handler cancelled' });
    expect(pending(hasty)['2025']).toBe(0);
    const ping = await mcpRequest(hasty.mcpUrl, {
      bearer: key,
      sessionId,
      body: { jsonrpc: '2.0', id: 42, method: 'ping' },
    });
    expect(ping.json).toEqual({ jsonrpc: '2.0', id: 42, result: {} });
  });

  it('2026 request: answered with -32001 and cancelled on the server', async () => {
    const before = cancellationProbe.cancelled;
    const res = await fetch(hasty.mcpUrl, {
      method: 'POST',
      headers: { ...modernHeaders, authorization: `Bearer ${key}` },
      body: JSON.stringify(modernCall(43)),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      jsonrpc: '2.0',
      id: 43,
      error: { code: -32001, message: `Request timed out after ${TIMEOUT_MS} ms` },
    });
    await waitFor(() => cancellationProbe.cancelled > before, { what: 'the handler cancelled' });
    await waitFor(() => pending(hasty)['2026'] === 0, { what: 'no 2026 request in flight' });
  });
});

describe('a client that goes away', () => {
  it('2025 session: its request is cancelled and nothing stays pending', async () => {
    const sessionId = await rawSession(h.server.mcpUrl, key);
    await callThenDisconnect((signal) =>
      fetch(h.server.mcpUrl, {
        method: 'POST',
        signal,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${key}`,
          'mcp-session-id': sessionId,
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify(callWait(51)),
      }),
    );
    await waitFor(() => pending(h.server)['2025'] === 0, { what: 'no 2025 request pending' });
    // The id is free again: the same id is served, not refused as a duplicate.
    const again = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: { jsonrpc: '2.0', id: 51, method: 'ping' },
    });
    expect(again.json).toEqual({ jsonrpc: '2.0', id: 51, result: {} });
  });

  it('2026 request: its request is cancelled and nothing stays in flight', async () => {
    await callThenDisconnect((signal) =>
      fetch(h.server.mcpUrl, {
        method: 'POST',
        signal,
        headers: { ...modernHeaders, authorization: `Bearer ${key}` },
        body: JSON.stringify(modernCall(52)),
      }),
    );
    await waitFor(() => pending(h.server)['2026'] === 0, { what: 'no 2026 request in flight' });
  });
});
