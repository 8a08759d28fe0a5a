// Tool policy per API key, over HTTP with the real SDK clients, on PostgreSQL
// + Redis and on the embedded default (PGlite, memory): a read-only or listed
// policy chosen at creation (/mcp/keys) filters tools/list on both eras; a
// tool outside it is unknown exactly as a tool that does not exist (SDK path
// and 2026 fast path alike); editing the policy reaches a live 2025 session's
// GET stream and a 2026 `subscriptions/listen` stream as tools/list_changed,
// with the new list; bad policies are 400s.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { READ_ONLY_TOOLS } from '../../harness/tool-lists.ts';
import { createBusiness, createUser, type TestUser } from '../support/fixtures.ts';
import { DATABASE_KINDS, useHarnessOn, type ServerHarness } from '../support/harness.ts';
import { routingFetch } from '../support/http-routing.ts';
import { connectClient, connectModernClient, toolText } from '../support/mcp-client.ts';
import { trpc } from '../support/oauth-browser.ts';
import { waitFor } from '../support/poll.ts';

async function api(h: ServerHarness, method: string, path: string, user: TestUser, body: unknown) {
  const res = await fetch(`${h.server.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await user.idToken()}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON body read in assertions
  return { status: res.status, json: (await res.json()) as any };
}

/** What a client is told when it calls `name`: the error's message or the result's text. */
async function callOutcome(call: () => Promise<unknown>): Promise<string> {
  try {
    const result = await call();
    return `result: ${toolText(result)}`;
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

describe.each(DATABASE_KINDS)('tool policy of an API key on %s', (kind) => {
  const h = useHarnessOn(kind, `toolpolicy-${kind}`);

  async function merchantWithBusiness() {
    const { business } = await createBusiness(h.db);
    const merchant = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
      label: 'policy-merchant',
    });
    return { businessId: business.id, merchant };
  }

  async function createKey(businessId: string, merchant: TestUser, toolPolicy?: unknown) {
    return api(h, 'POST', '/mcp/keys', merchant, {
      businessId,
      name: 'policy key',
      scopes: ['pos:read', 'pos:intents', 'sessions:read'],
      ...(toolPolicy !== undefined && { toolPolicy }),
    });
  }

  it('read_only at creation: both eras list only read-only tools; a write tool is unknown', async () => {
    const { businessId, merchant } = await merchantWithBusiness();
    const created = await createKey(businessId, merchant, { kind: 'read_only' });
    expect(created.status).toBe(201);
    expect(created.json.toolPolicy).toEqual({ kind: 'read_only' });
    const key = created.json.key as string;

    const legacy = await connectClient(h.server.mcpUrl, key);
    const modern = await connectModernClient(h.server.mcpUrl, key);
    try {
      const v1 = (await legacy.client.listTools()).tools.map((t) => t.name).sort();
      const v2 = (await modern.listTools()).tools.map((t) => t.name).sort();
      expect(v1).toEqual(READ_ONLY_TOOLS);
      expect(v2).toEqual(READ_ONLY_TOOLS);
      // Outside the policy is answered as a tool that does not exist, on each era.
      for (const client of [legacy.client, modern]) {
        const call = (name: string) => () => client.callTool({ name, arguments: {} });
        const outside = await callOutcome(call('create_sale_intent'));
        const missing = await callOutcome(call('no_such_tool'));
        expect(outside).toMatch(/not found/i);
        expect(outside.replace('create_sale_intent', 'X')).toEqual(
          missing.replace('no_such_tool', 'X'),
        );
      }
      // A tool inside the policy still runs (on 2026, through the fast path).
      const me = await modern.callTool({ name: 'whoami', arguments: {} });
      expect(me.isError).toBeFalsy();
    } finally {
      await legacy.close();
      await modern.close();
    }
  });

  it('editing the policy: a live 2025 session and a 2026 listen stream get list_changed and the new list', async () => {
    const { businessId, merchant } = await merchantWithBusiness();
    const created = await createKey(businessId, merchant);
    expect(created.json.toolPolicy).toEqual({ kind: 'all' });
    const key = created.json.key as string;
    const keyId = created.json.id as string;

    const port = Number(new URL(h.server.baseUrl).port);
    const routing = routingFetch(() => port);
    const legacy = await connectClient(h.server.mcpUrl, key, { fetch: routing.fetch });
    const legacyNotes: number[] = [];
    legacy.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      legacyNotes.push(performance.now());
    });
    await routing.streamOpened;
    const modern = await connectModernClient(h.server.mcpUrl, key);
    const modernNotes: number[] = [];
    modern.setNotificationHandler('notifications/tools/list_changed', () => {
      modernNotes.push(performance.now());
    });
    try {
      expect((await modern.listTools()).tools.map((t) => t.name)).toContain('create_sale_intent');
      await modern.listen({ toolsListChanged: true });

      // Over REST: only two tools.
      let started = performance.now();
      const edited = await api(h, 'PUT', `/mcp/keys/${keyId}/tool-policy`, merchant, {
        kind: 'tools',
        tools: ['whoami', 'list_products'],
      });
      expect(edited.status, JSON.stringify(edited.json)).toBe(200);
      await waitFor(() => legacyNotes.length > 0 && modernNotes.length > 0, {
        what: 'tools/list_changed on the 2025 session and the listen stream',
      });
      console.log(
        `[tool policy ${kind}] list_changed after ${((legacyNotes[0] as number) - started).toFixed(0)} ms (2025), ${((modernNotes[0] as number) - started).toFixed(0)} ms (2026 listen)`,
      );
      const names = async () => ({
        v1: (await legacy.client.listTools()).tools.map((t) => t.name).sort(),
        v2: (await modern.listTools()).tools.map((t) => t.name).sort(),
      });
      expect(await names()).toEqual({
        v1: ['list_products', 'whoami'],
        v2: ['list_products', 'whoami'],
      });
      expect(await callOutcome(() => legacy.client.callTool({ name: 'list_orders' }))).toMatch(
        /not found/i,
      );

      // Over tRPC (the console): read-only, then all again.
      started = performance.now();
      const [v1Before, v2Before] = [legacyNotes.length, modernNotes.length];
      const viaConsole = await trpc<{ toolPolicy: unknown }>(
        h.server.baseUrl,
        await merchant.idToken(),
        'toolPolicies.updateKey',
        { keyId, toolPolicy: { kind: 'read_only' } },
        'mutation',
      );
      expect(viaConsole.status, viaConsole.message).toBe(200);
      await waitFor(() => legacyNotes.length > v1Before && modernNotes.length > v2Before, {
        what: 'a second tools/list_changed',
      });
      expect(await names()).toEqual({ v1: READ_ONLY_TOOLS, v2: READ_ONLY_TOOLS });
      await api(h, 'PUT', `/mcp/keys/${keyId}/tool-policy`, merchant, { kind: 'all' });
      await waitFor(async () => (await names()).v1.includes('create_sale_intent'), {
        what: 'every tool back',
      });
    } finally {
      await legacy.close();
      await modern.close();
    }
  });

  it('bad policies are 400s; a key of another business is not found', async () => {
    const { businessId, merchant } = await merchantWithBusiness();
    const unknown = await createKey(businessId, merchant, { kind: 'tools', tools: ['drop_all'] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message ?? unknown.json.error).toMatch(/Unknown tool: drop_all/);
    const tooMany = Array.from({ length: 65 }, (_, i) => `tool_${i}`);
    expect((await createKey(businessId, merchant, { kind: 'tools', tools: tooMany })).status).toBe(
      400,
    );
    expect((await createKey(businessId, merchant, { kind: 'tools', tools: [] })).status).toBe(400);
    expect((await createKey(businessId, merchant, { kind: 'write_only' })).status).toBe(400);
    const hostile = await createKey(businessId, merchant, { kind: 'tools', tools: ['__proto__'] });
    expect(hostile.status).toBe(400);
    const deduped = await createKey(businessId, merchant, {
      kind: 'tools',
      tools: ['whoami', 'whoami'],
    });
    expect(deduped.json.toolPolicy).toEqual({ kind: 'tools', tools: ['whoami'] });

    const other = await merchantWithBusiness();
    const res = await api(h, 'PUT', `/mcp/keys/${deduped.json.id}/tool-policy`, other.merchant, {
      kind: 'all',
    });
    expect(res.status).toBe(404);
    // The console's tools preview shows the key's exact list (the same listFor).
    const preview = await trpc<{ tools: { name: string; visible: boolean }[] }>(
      h.server.baseUrl,
      await merchant.idToken(),
      'tools.preview',
      { mode: 'key', keyId: deduped.json.id },
      'query',
    );
    expect(preview.data.tools.filter((t) => t.visible).map((t) => t.name)).toEqual(['whoami']);
  });
});
