// RUNBOOK §2 "Expected flow", steps 1–6, for V1 (API key) and V2 (MCP access
// token from POST /mcp/token), with the official SDK client and raw HTTP
// against the real server (PostgreSQL, Redis, Firebase Auth Emulator).
import { connect } from 'node:net';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { createBusiness, createKey, createUser } from '../support/fixtures.ts';
import { connectClient, toolJson } from '../support/mcp-client.ts';
import { useHarness } from '../support/harness.ts';
import {
  exchangeToken,
  initializeBody,
  mcpRequest,
  openSse,
  rawSession,
  toolsCallBody,
} from '../support/raw-http.ts';

const h = useHarness('runbook');

/** Steps 2–6 over raw HTTP, as the runbook's curl user would do them. */
async function runRawFlow(bearer: string) {
  const { mcpUrl } = h.server;
  // 2. POST /mcp with an initialize body and Authorization.
  const init = await mcpRequest(mcpUrl, { bearer, body: initializeBody(1, 'runbook-raw') });
  expect(init.status).toBe(200);
  expect(init.json.result.serverInfo.name).toBe('flowpos-mcp');
  // 3. Save the mcp-session-id response header.
  const sessionId = init.headers.get('mcp-session-id') as string;
  expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
  expect(await h.server.services.store.get(sessionId)).not.toBeNull();
  const initialized = await mcpRequest(mcpUrl, {
    bearer,
    sessionId,
    body: { jsonrpc: '2.0', method: 'notifications/initialized' },
  });
  expect(initialized.status).toBe(202);

  // 4. Tool calls with both Authorization and mcp-session-id.
  const call = await mcpRequest(mcpUrl, { bearer, sessionId, body: toolsCallBody('whoami') });
  expect(call.status).toBe(200);
  expect(call.json.result.isError).toBeUndefined();
  const whoami = JSON.parse(call.json.result.content[0].text) as {
    kind: string;
    activeBusiness: { id: string };
    sessionId: string;
  };
  expect(whoami.sessionId).toBe(sessionId);

  // 5. Optional: GET /mcp SSE with both headers.
  const sse = await openSse(mcpUrl, bearer, sessionId);
  expect(sse.status).toBe(200);
  expect(sse.contentType).toContain('text/event-stream');

  // 6. DELETE /mcp with both headers; the next call is told the session is unknown.
  const deleted = await mcpRequest(mcpUrl, { method: 'DELETE', bearer, sessionId });
  expect(deleted.status).toBe(200);
  expect(await h.server.services.store.get(sessionId)).toBeNull();
  const after = await mcpRequest(mcpUrl, { bearer, sessionId, body: toolsCallBody('whoami') });
  expect(after.status).toBe(404);
  expect(after.json).toEqual({
    jsonrpc: '2.0',
    error: { code: -32001, message: 'Unknown session ID' },
    id: null,
  });
  return whoami;
}

/** Steps 2–4 and 6 with the official SDK client (it sends both headers itself). */
async function runSdkFlow(bearer: string) {
  const connected = await connectClient(h.server.mcpUrl, bearer, { name: 'runbook-sdk' });
  try {
    const { sessionId } = connected;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const whoami = toolJson<{ kind: string; sessionId: string; activeBusiness: { id: string } }>(
      await connected.client.callTool({ name: 'whoami', arguments: {} }),
    );
    expect(whoami.sessionId).toBe(sessionId);
    // The SDK's DELETE /mcp.
    await connected.transport.terminateSession();
    expect(await h.server.services.store.get(sessionId)).toBeNull();
    const after = await mcpRequest(h.server.mcpUrl, {
      bearer,
      sessionId,
      body: toolsCallBody('whoami'),
    });
    expect(after.status).toBe(404);
    expect(after.json.error.message).toBe('Unknown session ID');
    return whoami;
  } finally {
    await connected.close();
  }
}

/** The first bytes a GET /mcp SSE client receives, read from a plain TCP socket. */
function firstSseBytes(url: string, bearer: string, sessionId: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname, () => {
      socket.write(
        [
          `GET ${u.pathname} HTTP/1.1`,
          `Host: ${u.host}`,
          `Authorization: Bearer ${bearer}`,
          'Accept: text/event-stream',
          `mcp-session-id: ${sessionId}`,
          `mcp-protocol-version: ${LATEST_PROTOCOL_VERSION}`,
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.once('data', (chunk) => {
      resolve(chunk.toString('utf8'));
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe.concurrent('RUNBOOK §2 expected flow', () => {
  it('V1: API key → initialize → session id → tools/call → GET SSE → DELETE → Unknown session ID', async () => {
    // 1. Obtain a V1 API key.
    const { business } = await createBusiness(h.db);
    const { key } = await createKey(h.db, { businessId: business.id });
    for (const run of [runRawFlow, runSdkFlow]) {
      expect(await run(key)).toMatchObject({
        kind: 'api_key',
        activeBusiness: { id: business.id },
      });
    }
  });

  it('V2: POST /mcp/token with a Firebase ID token → token → the same flow', async () => {
    const { business } = await createBusiness(h.db);
    const user = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
      label: 'flow',
    });
    // 1. POST /mcp/token.
    const exchanged = await exchangeToken(h.server.baseUrl, await user.idToken());
    expect(exchanged.status).toBe(200);
    expect(exchanged.json).toEqual({
      token: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: h.server.services.config.tokenTtlSeconds,
    });
    for (const run of [runRawFlow, runSdkFlow]) {
      expect(await run(exchanged.json.token as string)).toMatchObject({
        kind: 'token',
        activeBusiness: { id: business.id },
      });
    }
  });

  it('step 5: GET /mcp answers 200 text/event-stream at once, not together with the first keep-alive', async () => {
    const { business } = await createBusiness(h.db);
    const { key } = await createKey(h.db, { businessId: business.id });
    const sessionId = await rawSession(h.server.mcpUrl, key);
    const first = await firstSseBytes(h.server.mcpUrl, key, sessionId);
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect(first.toLowerCase()).toContain('content-type: text/event-stream');
    // The SDK writes its first keep-alive comment after 15 s; the headers must not wait for it.
    expect(first).not.toContain(': keepalive');
  });
});
