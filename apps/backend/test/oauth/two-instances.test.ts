// Revoking a grant on one instance ends its sessions on another: the token is
// refused there at once (the authorization server's records are shared in
// PostgreSQL) and the session's open GET stream closes (Redis pub/sub).
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness } from '../support/harness.ts';
import { rawSession } from '../support/raw-http.ts';
import { authorizedTokens } from '../support/oauth-flow.ts';
import { freePort, startTestServer, uniquePrefix, type TestServer } from '../support/server.ts';

let database: TestDatabase;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  database = await createTestDatabase('oauth2');
  const prefix = uniquePrefix('oauth2');
  // One public URL for both, as behind a load balancer (the token's audience): A's.
  const port = await freePort();
  const env = { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` };
  const common = { databaseUrl: database.url, redis: true, redisKeyPrefix: prefix, env };
  a = await startTestServer({ ...common, port });
  b = await startTestServer(common);
});
afterAll(async () => {
  for (const server of [a, b]) {
    if (!server) continue;
    await server.services.sessions.shutdown();
    const closing = server.close();
    server.app.server.closeAllConnections();
    await closing;
  }
  await database?.drop();
});

const asHarness = (server: TestServer): Harness => ({
  kind: 'postgresql',
  database,
  db: database.prisma,
  server,
  close: async () => undefined,
});

/** Where B really listens (its public URL is A's). */
function bMcpUrl(): string {
  const address = b.app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/mcp`;
}

describe('revocation across instances', () => {
  it('both instances sign with the same key (derived from MCP_TOKEN_SECRET)', async () => {
    const jwks = async (base: string) => (await fetch(`${base}/oauth/jwks`)).json();
    const bBase = bMcpUrl().replace(/\/mcp$/, '');
    expect(await jwks(bBase)).toEqual(await jwks(a.baseUrl));
  });

  it('revoked on A: B refuses the token and closes the session’s open stream', async () => {
    const t = await authorizedTokens(asHarness(a));
    const bMcp = bMcpUrl();
    const sessionId = await rawSession(bMcp, t.accessToken);
    const stream = await fetch(bMcp, {
      headers: {
        accept: 'text/event-stream',
        authorization: `Bearer ${t.accessToken}`,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': LATEST_PROTOCOL_VERSION,
      },
    });
    expect(stream.status).toBe(200);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const closed = (async () => {
      for (;;) if ((await reader.read()).done) return;
    })();

    const res = await fetch(`${a.baseUrl}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: t.refreshToken, client_id: t.clientId }),
    });
    expect(res.status).toBe(200);
    const init = await fetch(bMcp, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${t.accessToken}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(init.status).toBe(401);
    // The stream on B ends because B heard of the revocation (no request of its own).
    await closed;
  });
});
