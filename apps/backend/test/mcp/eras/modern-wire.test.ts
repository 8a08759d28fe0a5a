// The 2026-07-28 wire on two instances sharing PostgreSQL and Redis, seen raw
// (server/discover, -32022, header checks, 405, cache hints) and through the
// v2 SDK client: prompts and resources, and subscriptions/listen across instances.
import { describe, expect, it } from 'vitest';
import { loadActorByUserId, updateApiKeyScopes } from '@flowpos/core';
import { createKey, unique } from '../../support/fixtures.ts';
import { connectModernClient } from '../../support/mcp-client.ts';
import { envelope, MODERN, modernHeaders, post } from '../../support/modern-wire.ts';
import { waitFor } from '../../support/poll.ts';
import { createDbUser } from '../../support/shared-services.ts';
import { ownMcpUrl, useTwoInstances, useTwoShops } from '../../support/two-instances.ts';

const h = useTwoInstances('modernwire');
const shops = useTwoShops(h);

describe('the 2026-07-28 wire', () => {
  it('server/discover lists 2026-07-28; an unknown revision gets -32022 with the supported list', async () => {
    const discover = await post(h.a.mcpUrl, modernHeaders(shops().merchantKey, 'server/discover'), {
      jsonrpc: '2.0',
      id: 1,
      method: 'server/discover',
      params: envelope(),
    });
    expect(discover.status).toBe(200);
    expect(discover.json.result.supportedVersions).toEqual([MODERN]);
    expect(discover.json.result.capabilities.tools).toBeDefined();

    const future = '2099-01-01';
    const unsupported = await post(
      h.a.mcpUrl,
      { ...modernHeaders(shops().merchantKey, 'tools/list'), 'mcp-protocol-version': future },
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/list',
        params: {
          _meta: { ...envelope()._meta, 'io.modelcontextprotocol/protocolVersion': future },
        },
      },
    );
    expect(unsupported.json.error.code).toBe(-32022);
    expect(unsupported.json.error.data.supported).toContain(MODERN);
  });

  it('Mcp-Method and Mcp-Name must match the body: 400 otherwise', async () => {
    const call = {
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: envelope({ name: 'whoami', arguments: {} }),
    };
    const wrongMethod = await post(
      h.a.mcpUrl,
      modernHeaders(shops().merchantKey, 'tools/list'),
      call,
    );
    expect(wrongMethod.status).toBe(400);
    expect(wrongMethod.json.error.code).toBe(-32020);
    const wrongName = await post(
      h.a.mcpUrl,
      modernHeaders(shops().merchantKey, 'tools/call', 'list_products'),
      call,
    );
    expect(wrongName.status).toBe(400);
    const right = await post(
      h.a.mcpUrl,
      modernHeaders(shops().merchantKey, 'tools/call', 'whoami'),
      call,
    );
    expect(right.status).toBe(200);
    expect(right.json.result.structuredContent.kind).toBe('api_key');
  });

  it('bad tool arguments on 2026-07-28: -32602 for a non-object, one isError line for wrong types', async () => {
    const call = (id: number, name: string, args: unknown) =>
      post(h.a.mcpUrl, modernHeaders(shops().merchantKey, 'tools/call', name), {
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: envelope({ name, arguments: args }),
      });
    for (const args of [null, [1, 2]]) {
      const refused = await call(5, 'list_products', args);
      expect(refused.status).toBeLessThan(500);
      expect(refused.json.error.code).toBe(-32602);
    }
    const wrong = await call(6, 'list_orders', { from: '11/29/2026', limit: 'ten' });
    expect(wrong.json.result.isError).toBe(true);
    const text = wrong.json.result.content[0].text as string;
    expect(text).toContain('from: 11/29/2026 is not an ISO 8601 date');
    expect(text).not.toContain('\n');
  });

  it('tools/list carries private cache hints with a TTL, in a stable order', async () => {
    const list = async () =>
      post(h.a.mcpUrl, modernHeaders(shops().merchantKey, 'tools/list'), {
        jsonrpc: '2.0',
        id: 4,
        method: 'tools/list',
        params: envelope(),
      });
    const first = await list();
    expect(first.json.result.cacheScope).toBe('private');
    expect(first.json.result.ttlMs).toBeGreaterThan(0);
    const names = (r: typeof first) => r.json.result.tools.map((t: { name: string }) => t.name);
    expect(names(await list())).toEqual(names(first));
    for (const tool of first.json.result.tools) expect(tool.outputSchema.type).toBe('object');
  });

  it('GET and DELETE with a 2026 claim: 405', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(h.a.mcpUrl, {
        method,
        headers: {
          authorization: `Bearer ${shops().merchantKey}`,
          'mcp-protocol-version': MODERN,
          accept: 'text/event-stream',
        },
      });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });

  it('a 2026 request without credentials gets the runbook 401', async () => {
    const res = await post(
      h.a.mcpUrl,
      { ...modernHeaders('', 'tools/list'), authorization: '' },
      { jsonrpc: '2.0', id: 5, method: 'tools/list', params: envelope() },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
  });
});

describe('prompts and resources', () => {
  it('list and read within the active business only, with cache hints', async () => {
    const client = await connectModernClient(h.a.mcpUrl, shops().merchantKey);
    try {
      const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
      expect(prompts).toEqual(['end_of_day_report', 'product_sales', 'restock_suggestions']);
      const report = await client.getPrompt({
        name: 'end_of_day_report',
        arguments: { date: '2026-11-29' },
      });
      const first = report.messages[0]?.content;
      expect(first?.type === 'text' && first.text).toContain('2026-11-29');

      const uris = (await client.listResources()).resources.map((r) => r.uri);
      // The views (ui://) are listed too: views.test.ts covers them.
      expect(uris.filter((u) => !u.startsWith('ui://'))).toEqual([
        'flowpos://business/profile',
        'flowpos://business/catalog',
      ]);
      const templates = (await client.listResourceTemplates()).resourceTemplates;
      expect(templates.map((t) => t.uriTemplate)).toEqual([
        'flowpos://business/products/{productId}',
      ]);
      const profile = await client.readResource({ uri: 'flowpos://business/profile' });
      const text = (r: typeof profile) => {
        const c = r.contents[0];
        return JSON.parse(c && 'text' in c ? c.text : 'null');
      };
      expect(text(profile)).toMatchObject({
        id: shops().bizX.business.id,
        name: shops().bizX.business.name,
      });
      const own = shops().bizX.products[0]!.id;
      const product = await client.readResource({ uri: `flowpos://business/products/${own}` });
      expect(text(product)).toMatchObject({ id: own });
      // Another business's product is not found, exactly like a missing one.
      const foreign = shops().bizY.products[0]!.id;
      await expect(
        client.readResource({ uri: `flowpos://business/products/${foreign}` }),
      ).rejects.toThrow(/not found/i);
    } finally {
      await client.close();
    }
    const raw = await post(h.a.mcpUrl, modernHeaders(shops().merchantKey, 'prompts/list'), {
      jsonrpc: '2.0',
      id: 8,
      method: 'prompts/list',
      params: envelope(),
    });
    expect(raw.json.result).toMatchObject({ cacheScope: 'private', ttlMs: expect.any(Number) });
  });
});

describe('subscriptions/listen', () => {
  it('a scope change made on one instance reaches a 2026 client listening on the other', async () => {
    const { key, row } = await createKey(h.db.prisma, {
      businessId: shops().bizX.business.id,
      scopes: ['pos:read', 'pos:intents', 'sessions:read'],
    });
    const owner = await createDbUser(h.db.prisma, {
      email: `${unique('listen-owner')}@test.flowpos`,
      memberships: [{ businessId: shops().bizX.business.id, role: 'merchant' }],
    });
    const client = await connectModernClient(ownMcpUrl(h.b), key);
    let notified = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      notified++;
    });
    try {
      const names = async () => (await client.listTools()).tools.map((t) => t.name);
      expect(await names()).toContain('create_sale_intent');
      // Resolves once instance B has acknowledged the stream.
      const subscription = await client.listen({ toolsListChanged: true });
      expect(subscription.honoredFilter.toolsListChanged).toBe(true);
      await updateApiKeyScopes(
        {
          db: h.a.services.database.prisma,
          audit: h.a.services.core.audit,
          events: h.a.services.core.events,
          sessions: h.a.services.core.sessions,
        },
        await loadActorByUserId(h.db.prisma, owner.id),
        { keyId: row.id, scopes: ['pos:read', 'sessions:read'] },
      );
      await waitFor(() => notified > 0, {
        timeoutMs: 5_000,
        what: 'notifications/tools/list_changed on the listen stream',
      });
      expect(await names()).not.toContain('create_sale_intent');
    } finally {
      await client.close();
    }
  });
});
