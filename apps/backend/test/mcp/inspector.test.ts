// The session inspector over HTTP, on PostgreSQL + Redis and on the embedded
// default: real SDK clients on both eras (a 2025 session, a sessionless
// 2026-07-28 client) make calls; the console's tRPC shows each with method,
// tool, outcome, instance and argument names (values only where the tool
// marks them safe), newest first, capped at 200; a merchant of another
// business gets NOT_FOUND, an operator sees any.
import superjson from 'superjson';
import { beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_LOG_CAP } from '@flowpos/core';
import {
  createBusiness,
  createKey,
  createUser,
  unique,
  type TestUser,
} from '../support/fixtures.ts';
import { DATABASE_KINDS, useHarnessOn } from '../support/harness.ts';
import { connectClient, connectModernClient } from '../support/mcp-client.ts';
import { waitFor } from '../support/poll.ts';

interface Row {
  at: string;
  method: string;
  tool?: string;
  outcome: 'ok' | 'tool_error' | 'error';
  errorCode?: number;
  durationMs: number;
  instanceId: string;
  arguments: { name: string; value?: string }[];
}

const INSTANCE = 'inspector-instance';
const MISSING_PRODUCT = '00000000-0000-4000-8000-000000000000';

describe.each(DATABASE_KINDS)('session inspector on %s', (kind) => {
  const h = useHarnessOn(kind, `inspector-${kind}`, { env: { INSTANCE_ID: INSTANCE } });
  let businessId: string;
  let productId: string;
  let merchant: TestUser;
  let stranger: TestUser;
  let operator: TestUser;

  beforeAll(async () => {
    const created = await createBusiness(h.db, unique('Inspect Cafe'));
    businessId = created.business.id;
    productId = created.products[0]!.id;
    const other = (await createBusiness(h.db, unique('Other Deli'), 0)).business.id;
    merchant = await createUser(h.db, {
      memberships: [{ businessId, role: 'merchant' }],
      label: 'inspect-merchant',
    });
    stranger = await createUser(h.db, {
      memberships: [{ businessId: other, role: 'merchant' }],
      label: 'inspect-stranger',
    });
    operator = await createUser(h.db, { operator: true, label: 'inspect-operator' });
  });

  async function requests(user: TestUser, input: { sessionId: string } | { credential: string }) {
    const query = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
    const res = await fetch(`${h.server.baseUrl}/trpc/sessions.requests?input=${query}`, {
      headers: { authorization: `Bearer ${await user.idToken()}` },
    });
    const body = (await res.json()) as {
      result?: { data: unknown };
      error?: { json: { data: { code: string } } };
    };
    if (!res.ok) return { status: res.status, code: body.error?.json.data.code };
    const data = superjson.deserialize(body.result!.data as never) as {
      enabled: boolean;
      label: string;
      cap: number;
      items: Row[];
    };
    return { status: res.status, ...data };
  }

  /** Waits until the log holds a row `match` accepts; returns the log. */
  async function logWith(
    input: { sessionId: string } | { credential: string },
    match: (rows: Row[]) => boolean,
  ) {
    return waitFor(
      async () => {
        const log = await requests(merchant, input);
        return 'items' in log && log.items && match(log.items) ? log : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100, what: 'the calls in the inspector' },
    );
  }

  /** The three calls both eras make: safe values, a hidden value, a tool error. */
  function expectCalls(rows: Row[]) {
    const calls = rows.filter((r) => r.method === 'tools/call');
    const get = calls.find((r) => r.tool === 'get_product' && r.outcome === 'ok');
    expect(get).toMatchObject({
      instanceId: INSTANCE,
      arguments: [{ name: 'productId', value: JSON.stringify(productId) }],
    });
    expect(get!.durationMs).toBeGreaterThanOrEqual(0);
    // `search` is free text: its name only. `category` is marked safe.
    expect(calls.find((r) => r.tool === 'list_products')).toMatchObject({
      outcome: 'ok',
      arguments: [{ name: 'search' }, { name: 'category', value: '"food"' }],
    });
    expect(calls.find((r) => r.tool === 'list_products')!.arguments[0]).not.toHaveProperty('value');
    expect(calls.find((r) => r.tool === 'get_product' && r.outcome === 'tool_error')).toBeDefined();
    expect(rows.find((r) => r.method === 'tools/list')).toMatchObject({
      outcome: 'ok',
      instanceId: INSTANCE,
    });
    // Newest first.
    const times = rows.map((r) => Date.parse(r.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  }

  it('a 2025 session: its requests with method, tool, outcome, instance and argument names', async () => {
    const { key, row } = await createKey(h.db, { businessId });
    const session = await connectClient(h.server.mcpUrl, key, { name: 'inspected-2025' });
    try {
      await session.client.listTools();
      await session.client.callTool({ name: 'get_product', arguments: { productId } });
      await session.client.callTool({
        name: 'list_products',
        arguments: { search: 'secret words', category: 'food' },
      });
      await session.client.callTool({
        name: 'get_product',
        arguments: { productId: MISSING_PRODUCT },
      });
      // On a 2025 session the SDK server answers an unknown tool with a tool error.
      await expect(
        session.client.callTool({ name: 'no_such_tool', arguments: { token: 'x' } }),
      ).resolves.toMatchObject({ isError: true });
      // A JSON-RPC error answer shows its code.
      await expect(
        session.client.readResource({ uri: 'flowpos://nothing/here' }),
      ).rejects.toThrow();
      const log = await logWith({ sessionId: session.sessionId }, (rows) =>
        rows.some((r) => r.method === 'resources/read'),
      );
      expect(log).toMatchObject({ enabled: true, cap: REQUEST_LOG_CAP, label: `key ${row.name}` });
      expectCalls(log.items);
      expect(log.items.find((r) => r.tool === 'no_such_tool')).toMatchObject({
        outcome: 'tool_error',
        arguments: [{ name: 'token' }],
      });
      expect(log.items.find((r) => r.method === 'resources/read')).toMatchObject({
        outcome: 'error',
        errorCode: expect.any(Number),
        arguments: [],
      });
      expect(log.items.at(-1)).toMatchObject({ method: 'initialize', outcome: 'ok' });
      // Nothing of a value the tools did not mark safe is stored.
      expect(JSON.stringify(log.items)).not.toContain('secret words');

      expect(await requests(stranger, { sessionId: session.sessionId })).toMatchObject({
        status: 404,
        code: 'NOT_FOUND',
      });
      const seen = await requests(operator, { sessionId: session.sessionId });
      expect('items' in seen && seen.items.length).toBe(log.items.length);
    } finally {
      await session.close();
    }
  });

  it('a sessionless 2026 client: the same, per credential, fast path and SDK path alike', async () => {
    const { key, row } = await createKey(h.db, { businessId });
    const credential = `key:${row.id}`;
    const client = await connectModernClient(h.server.mcpUrl, key);
    try {
      await client.listTools();
      await client.callTool({ name: 'get_product', arguments: { productId } });
      await client.callTool({
        name: 'list_products',
        arguments: { search: 'secret words', category: 'food' },
      });
      await client.callTool({ name: 'get_product', arguments: { productId: MISSING_PRODUCT } });
      await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow();
      const log = await logWith({ credential }, (rows) =>
        rows.some((r) => r.tool === 'no_such_tool'),
      );
      expect(log).toMatchObject({ enabled: true, label: `key ${row.name}` });
      expectCalls(log.items);
      expect(log.items.find((r) => r.tool === 'no_such_tool')).toMatchObject({
        outcome: 'error',
        errorCode: expect.any(Number),
      });
      expect(JSON.stringify(log.items)).not.toContain('secret words');

      expect(await requests(stranger, { credential })).toMatchObject({
        status: 404,
        code: 'NOT_FOUND',
      });
      expect(await requests(operator, { credential })).toMatchObject({ status: 200 });
    } finally {
      await client.close();
    }
  });

  it('stores hostile names safely: a huge tool name and long names cut, hasOwnProperty as a plain name', async () => {
    const { key } = await createKey(h.db, { businessId });
    const session = await connectClient(h.server.mcpUrl, key);
    try {
      // (`__proto__`, `constructor` and `prototype` are refused with 400 before anything sees them: storable.ts.)
      const args = { hasOwnProperty: 1, toString: 'x', ['\u202e' + 'n'.repeat(300)]: 2 };
      await session.client.callTool({ name: `huge${'x'.repeat(5_000)}`, arguments: args });
      const log = await logWith({ sessionId: session.sessionId }, (rows) =>
        rows.some((r) => r.tool?.startsWith('huge')),
      );
      const row = log.items.find((r) => r.tool?.startsWith('huge'));
      expect(row?.tool).toHaveLength(100);
      expect(row?.arguments).toEqual([
        { name: 'hasOwnProperty' },
        { name: 'toString' },
        { name: '\u202e' + 'n'.repeat(63) },
      ]);
    } finally {
      await session.close();
    }
  });

  it(`keeps the newest ${REQUEST_LOG_CAP} requests of a session`, async () => {
    const { key } = await createKey(h.db, { businessId });
    const session = await connectClient(h.server.mcpUrl, key);
    try {
      for (let i = 0; i < REQUEST_LOG_CAP + 5; i++) await session.client.ping();
      await session.client.callTool({ name: 'whoami', arguments: {} });
      const log = await logWith({ sessionId: session.sessionId }, (rows) =>
        rows.some((r) => r.tool === 'whoami'),
      );
      expect(log.items).toHaveLength(REQUEST_LOG_CAP);
      expect(log.items[0]).toMatchObject({ tool: 'whoami' });
      expect(log.items.slice(1).every((r) => r.method === 'ping')).toBe(true);
    } finally {
      await session.close();
    }
  });
});

describe('with INSPECTOR_ENABLED=false (the bench)', () => {
  const h = useHarnessOn('embedded', 'inspector-off', { env: { INSPECTOR_ENABLED: 'false' } });

  it('records nothing and says the inspector is off', async () => {
    expect(h.server.services.inspector).toBeUndefined();
    const { business } = await createBusiness(h.db, unique('Quiet Cafe'), 0);
    const merchant = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
      label: 'inspect-off',
    });
    const { key } = await createKey(h.db, { businessId: business.id });
    const session = await connectClient(h.server.mcpUrl, key);
    try {
      await session.client.callTool({ name: 'whoami', arguments: {} });
      const query = encodeURIComponent(
        JSON.stringify(superjson.serialize({ sessionId: session.sessionId })),
      );
      const res = await fetch(`${h.server.baseUrl}/trpc/sessions.requests?input=${query}`, {
        headers: { authorization: `Bearer ${await merchant.idToken()}` },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { result: { data: never } };
      expect(superjson.deserialize(body.result.data)).toMatchObject({ enabled: false, items: [] });
    } finally {
      await session.close();
    }
  });
});
