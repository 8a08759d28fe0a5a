// Prompts and resources follow the credential's current rights, as tools do,
// on both eras: with pos:read taken away mid-session, the catalog resource is
// no longer readable, the prompts no longer run, and the lists empty (with the
// list_changed notifications on the session's GET stream); given back, they return.
import {
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActorByUserId, updateApiKeyScopes, type Scope } from '@flowpos/core';

/** The resource as clients know it (the wire contract). */
const CATALOG_URI = 'flowpos://business/catalog';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../support/fixtures.ts';
import { routingFetch } from '../support/http-routing.ts';
import { connectClient, type ConnectedClient } from '../support/mcp-client.ts';
import { waitFor } from '../support/poll.ts';
import { createDbUser } from '../support/shared-services.ts';
import { startTestServer, uniquePrefix, type TestServer } from '../support/server.ts';

let db: TestDatabase;
let server: TestServer;
let businessId: string;
let ownerId: string;
const clients: { close(): Promise<unknown> }[] = [];

beforeAll(async () => {
  db = await createTestDatabase('resourcerights');
  server = await startTestServer({
    databaseUrl: db.url,
    redis: true,
    redisKeyPrefix: uniquePrefix('resourcerights'),
  });
  businessId = (await createBusiness(db.prisma, unique('Rights Bistro'))).business.id;
  ownerId = (
    await createDbUser(db.prisma, {
      email: `${unique('rights-owner')}@test.flowpos`,
      memberships: [{ businessId, role: 'merchant' }],
    })
  ).id;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await server?.services.sessions.shutdown();
  await server?.close();
  await db?.drop();
});

async function setScopes(keyId: string, scopes: Scope[]) {
  const services = server.services;
  await updateApiKeyScopes(
    {
      db: services.database.prisma,
      audit: services.core.audit,
      events: services.core.events,
      sessions: services.core.sessions,
    },
    await loadActorByUserId(db.prisma, ownerId),
    { keyId, scopes },
  );
}

const port = () => Number(new URL(server.baseUrl).port);

/** The text of a resource read's first content item. */
const textOf = (read: { contents: ({ text: string } | { blob: string })[] }) => {
  const first = read.contents[0];
  return first && 'text' in first ? first.text : '';
};

describe('2025 session', () => {
  it('pos:read removed mid-session: catalog unreadable, prompts refused, lists empty and announced; given back, they return', async () => {
    const { key, row } = await createKey(db.prisma, {
      businessId,
      scopes: ['pos:read', 'sessions:read'],
    });
    const routing = routingFetch(port);
    const c: ConnectedClient = await connectClient(server.mcpUrl, key, {
      fetch: routing.fetch,
      name: 'resource-rights',
    });
    clients.push(c);
    let resourcesChanged = 0;
    let promptsChanged = 0;
    c.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      resourcesChanged++;
    });
    c.client.setNotificationHandler(PromptListChangedNotificationSchema, () => {
      promptsChanged++;
    });
    await routing.streamOpened;
    const resources = async () => (await c.client.listResources()).resources.map((r) => r.uri);
    const prompts = async () => (await c.client.listPrompts()).prompts.map((p) => p.name);

    const before = await c.client.readResource({ uri: CATALOG_URI });
    expect(textOf(before)).toContain('products');
    expect(await resources()).toContain(CATALOG_URI);
    expect(await prompts()).toContain('end_of_day_report');

    await setScopes(row.id, ['sessions:read']);

    await expect(c.client.readResource({ uri: CATALOG_URI })).rejects.toThrow(/not found/i);
    await expect(c.client.getPrompt({ name: 'end_of_day_report', arguments: {} })).rejects.toThrow(
      /not found/i,
    );
    expect(await resources()).toEqual([]);
    expect(await prompts()).toEqual([]);
    await waitFor(() => resourcesChanged > 0 && promptsChanged > 0, {
      what: 'resources and prompts list_changed on the GET stream',
    });

    await setScopes(row.id, ['pos:read', 'sessions:read']);
    expect(await resources()).toContain(CATALOG_URI);
    expect(textOf(await c.client.readResource({ uri: CATALOG_URI }))).toContain('products');
    expect(await prompts()).toContain('end_of_day_report');
  });
});

describe('views (ui:// resources)', () => {
  it('pos:intents removed mid-session: the approvals view is no longer listed nor readable, the sales view stays', async () => {
    const APPROVALS = 'ui://flowpos/approvals.html';
    const SALES = 'ui://flowpos/sales-summary.html';
    const { key, row } = await createKey(db.prisma, {
      businessId,
      scopes: ['pos:read', 'pos:intents', 'sessions:read'],
    });
    const c = await connectClient(server.mcpUrl, key, { name: 'view-rights' });
    clients.push(c);
    const resources = async () => (await c.client.listResources()).resources.map((r) => r.uri);
    expect(await resources()).toEqual(expect.arrayContaining([APPROVALS, SALES]));
    expect(textOf(await c.client.readResource({ uri: APPROVALS }))).toContain('<html');

    await setScopes(row.id, ['pos:read', 'sessions:read']);

    await expect(c.client.readResource({ uri: APPROVALS })).rejects.toThrow(/not found/i);
    expect(await resources()).not.toContain(APPROVALS);
    expect(textOf(await c.client.readResource({ uri: SALES }))).toContain('<html');
  });
});

/** One 2026-07-28 request on the wire (no client-side cache in between). */
async function modern(
  bearer: string,
  method: string,
  params: Record<string, unknown>,
  name?: string,
) {
  const res = await fetch(server.mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${bearer}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(name ? { 'mcp-name': name } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'raw-rights', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
  return (await res.json()) as { result?: Record<string, unknown[]>; error?: { message: string } };
}

describe('2026-07-28 requests', () => {
  it('pos:read removed: the next resources/read and prompts/get are refused, the lists empty', async () => {
    const { key, row } = await createKey(db.prisma, {
      businessId,
      scopes: ['pos:read', 'sessions:read'],
    });
    const read = () => modern(key, 'resources/read', { uri: CATALOG_URI }, CATALOG_URI);
    const prompt = () =>
      modern(key, 'prompts/get', { name: 'end_of_day_report', arguments: {} }, 'end_of_day_report');
    expect((await read()).result?.contents).toHaveLength(1);
    expect((await prompt()).result?.messages).toHaveLength(1);

    await setScopes(row.id, ['sessions:read']);

    expect((await read()).error?.message).toMatch(/not found/i);
    expect((await prompt()).error?.message).toMatch(/not found/i);
    expect((await modern(key, 'resources/list', {})).result?.resources).toEqual([]);
    expect((await modern(key, 'prompts/list', {})).result?.prompts).toEqual([]);
  });
});

describe('tool policy', () => {
  it('a key whose policy leaves out list_products and get_product cannot read the catalog or a product as resources (either era)', async () => {
    const { key } = await createKey(db.prisma, {
      businessId,
      scopes: ['pos:read', 'pos:intents', 'sessions:read'],
      toolPolicy: { kind: 'tools', tools: ['whoami', 'create_sale_intent'] },
    });
    const read = await modern(key, 'resources/read', { uri: CATALOG_URI }, CATALOG_URI);
    expect(read.result).toBeUndefined();
    expect(read.error?.message).toMatch(/not found/i);
    const listed = (await modern(key, 'resources/list', {})).result?.resources ?? [];
    expect(listed.map((r) => (r as { uri: string }).uri)).not.toContain(CATALOG_URI);

    const c = await connectClient(server.mcpUrl, key, { name: 'policy-resources' });
    clients.push(c);
    await expect(c.client.readResource({ uri: CATALOG_URI })).rejects.toThrow(/not found/i);

    // A read-only policy keeps both tools: the catalog stays readable.
    const readOnly = await createKey(db.prisma, {
      businessId,
      scopes: ['pos:read', 'sessions:read'],
      toolPolicy: { kind: 'read_only' },
    });
    const allowed = await modern(readOnly.key, 'resources/read', { uri: CATALOG_URI }, CATALOG_URI);
    expect(allowed.result?.contents).toHaveLength(1);
  });
});
