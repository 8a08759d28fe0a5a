// Idle sessions are held as records: only a bounded set of recently used
// sessions (SESSION_SERVER_CACHE_SIZE, here 1), plus every session holding a
// GET stream, keeps an SDK server. A session without one still answers
// everything: a plain tools/call needs no server, anything else builds it
// again (fed the client's handshake); a stream's session keeps its server, so
// rights changes still reach the stream as list_changed.
import { performance } from 'node:perf_hooks';
import {
  loadActorByUserId,
  updateApiKeyScopes,
  type KeyServiceDeps,
  type Scope,
} from '@flowpos/core';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { useHarness } from '../../support/harness.ts';
import { mcpRequest, rawSession, toolsCallBody, toolsListBody } from '../../support/raw-http.ts';
import { routingFetch } from '../../support/http-routing.ts';
import { connectClient, type ConnectedClient } from '../../support/mcp-client.ts';
import { waitFor } from '../../support/poll.ts';
import { createDbUser } from '../../support/shared-services.ts';

const h = useHarness('idlesessions', { SESSION_SERVER_CACHE_SIZE: '1' });
const clients: ConnectedClient[] = [];
let businessId: string;
let merchantId: string;

const FULL: Scope[] = ['pos:read', 'pos:intents', 'sessions:read'];
const READ_ONLY: Scope[] = ['pos:read', 'sessions:read'];

beforeAll(async () => {
  businessId = (await createBusiness(h.db, unique('Idle Sessions Cafe'))).business.id;
  merchantId = (
    await createDbUser(h.db, {
      email: `${unique('idle')}@test.flowpos`,
      memberships: [{ businessId, role: 'merchant' }],
    })
  ).id;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

const toolNames = (scopes: Scope[]) =>
  h.server.services.core.registry
    .listFor({ role: 'merchant', scopes, authorizedBusinessIds: [businessId] })
    .map((t) => t.name)
    .sort();

const listed = (answer: { json: { result: { tools: { name: string }[] } } }) =>
  answer.json.result.tools.map((t) => t.name).sort();

describe('idle 2025 sessions', () => {
  it('keep no SDK server beyond the bound, and answer tool calls and lists all the same', async () => {
    const { key } = await createKey(h.db, { businessId, scopes: FULL });
    const sessions = h.server.services.sessions;
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await rawSession(h.server.mcpUrl, key));
    expect(sessions.servers.count).toBe(1);

    for (const sessionId of ids) {
      const call = await mcpRequest(h.server.mcpUrl, {
        bearer: key,
        sessionId,
        body: toolsCallBody('whoami'),
      });
      expect(call.status).toBe(200);
      expect(call.json.result.structuredContent.sessionId).toBe(sessionId);
    }
    // Plain tool calls built no server.
    expect(sessions.servers.count).toBe(1);

    for (const sessionId of ids) {
      const list = await mcpRequest(h.server.mcpUrl, {
        bearer: key,
        sessionId,
        body: toolsListBody(),
      });
      expect(list.status).toBe(200);
      expect(listed(list)).toEqual(toolNames(FULL));
    }
    expect(sessions.servers.count).toBe(1);
  });

  it('keep the server of a session with a GET stream, whose client still hears of rights changes', async () => {
    const { key, row } = await createKey(h.db, { businessId, scopes: FULL });
    const port = Number(new URL(h.server.baseUrl).port);
    const routing = routingFetch(
      () => port,
      () => port,
    );
    const c = await connectClient(h.server.mcpUrl, key, { fetch: routing.fetch, name: 'idle' });
    clients.push(c);
    const received: number[] = [];
    c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      received.push(performance.now());
    });
    expect(await routing.streamOpened).toBe(port);

    // Other sessions take the one server place, one after the other.
    for (let i = 0; i < 2; i++) {
      const sessionId = await rawSession(h.server.mcpUrl, key);
      const list = await mcpRequest(h.server.mcpUrl, {
        bearer: key,
        sessionId,
        body: toolsListBody(),
      });
      expect(list.status).toBe(200);
    }
    expect(h.server.services.sessions.servers.count).toBe(2);

    const deps: KeyServiceDeps = {
      db: h.db,
      audit: h.server.services.core.audit,
      events: h.server.services.core.events,
      sessions: h.server.services.core.sessions,
    };
    const actor = await loadActorByUserId(h.db, merchantId);
    await updateApiKeyScopes(deps, actor, { keyId: row.id, scopes: READ_ONLY });
    await waitFor(() => received.length > 0, { what: 'notifications/tools/list_changed' });
    const names = (await c.client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(toolNames(READ_ONLY));
  });
});
