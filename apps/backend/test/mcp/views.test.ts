// The views (MCP Apps) on the wire, on both eras: view tools announce their
// ui:// view in tools/list, resources/read serves the built single-file HTML
// with the Apps mime type and a deny-all CSP, views follow the caller's
// tools, and the tool results carry what the views render.
import { readFileSync } from 'node:fs';
import { Client as V2Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { VIEWS_DIST } from '@flowpos/views';
import { createBusiness, createKey, unique } from '../support/fixtures.ts';
import { connectClient, toolJson } from '../support/mcp-client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const CONSOLE = 'http://console.example.test';
const VIEW_OF: Record<string, string> = {
  get_sales_summary: 'ui://flowpos/sales-summary.html',
  end_of_day_report: 'ui://flowpos/end-of-day.html',
  list_intents: 'ui://flowpos/approvals.html',
  create_sale_intent: 'ui://flowpos/approvals.html',
  create_refund_intent: 'ui://flowpos/approvals.html',
};

let db: TestDatabase;
let server: TestServer;
let biz: Awaited<ReturnType<typeof createBusiness>>;
let merchantKey: string;
let readOnlyKey: string;

beforeAll(async () => {
  db = await createTestDatabase('views');
  server = await startTestServer({ databaseUrl: db.url, env: { CONSOLE_URL: CONSOLE } });
  biz = await createBusiness(db.prisma, unique('View Cafe'));
  merchantKey = (await createKey(db.prisma, { businessId: biz.business.id })).key;
  readOnlyKey = (await createKey(db.prisma, { businessId: biz.business.id, scopes: ['pos:read'] }))
    .key;
});

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** A client on each era: a 2025 session (SDK v1) and a 2026-07-28 client (SDK v2). */
const ERAS = {
  '2025 session': async (bearer: string) => (await connectClient(server.mcpUrl, bearer)).client,
  '2026-07-28': async (bearer: string) => {
    const client = new V2Client(
      { name: 'views-modern', version: '1' },
      { versionNegotiation: { mode: 'auto' } },
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.mcpUrl), {
        requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
      }),
    );
    return client;
  },
};

type AnyClient = Awaited<ReturnType<(typeof ERAS)['2025 session']>>;

describe.each(Object.entries(ERAS))('%s', (_era, connect) => {
  it('tools/list shows _meta.ui (and ui/resourceUri) on the view tools only', async () => {
    const client = (await connect(merchantKey)) as AnyClient;
    try {
      const { tools } = await client.listTools();
      for (const tool of tools) {
        const uri = VIEW_OF[tool.name];
        if (uri) {
          expect(tool._meta, tool.name).toEqual({
            ui: { resourceUri: uri },
            'ui/resourceUri': uri,
          });
        } else {
          expect(tool._meta?.ui, tool.name).toBeUndefined();
        }
      }
      expect(
        tools
          .filter((t) => VIEW_OF[t.name])
          .map((t) => t.name)
          .sort(),
      ).toEqual(Object.keys(VIEW_OF).sort());
    } finally {
      await client.close();
    }
  });

  it('resources/read serves each built view as text/html;profile=mcp-app with a deny-all CSP', async () => {
    const client = (await connect(merchantKey)) as AnyClient;
    try {
      const listed = (await client.listResources()).resources.filter((r) =>
        r.uri.startsWith('ui://'),
      );
      expect(listed.map((r) => r.uri).sort()).toEqual([...new Set(Object.values(VIEW_OF))].sort());
      for (const uri of new Set(Object.values(VIEW_OF))) {
        const { contents } = await client.readResource({ uri });
        const [content] = contents;
        expect(content?.mimeType).toBe(RESOURCE_MIME_TYPE);
        expect(content?._meta).toEqual({
          ui: { csp: { connectDomains: [], resourceDomains: [] }, prefersBorder: true },
        });
        const html = content && 'text' in content ? content.text : '';
        const file = uri.replace('ui://flowpos/', '');
        expect(html).toBe(readFileSync(`${VIEWS_DIST}${file}`, 'utf8'));
        // Self-contained: no script or stylesheet fetched from anywhere.
        expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i);
      }
    } finally {
      await client.close();
    }
  });

  it('a key without pos:intents has no approvals view: not listed, not readable', async () => {
    const client = (await connect(readOnlyKey)) as AnyClient;
    try {
      const uris = (await client.listResources()).resources.map((r) => r.uri);
      expect(uris).toContain(VIEW_OF.get_sales_summary);
      expect(uris).not.toContain(VIEW_OF.list_intents);
      await expect(client.readResource({ uri: VIEW_OF.list_intents! })).rejects.toThrow(
        /not found/i,
      );
    } finally {
      await client.close();
    }
  });

  it('the results carry what the views render: chart and currency, card fields with the console link', async () => {
    const client = (await connect(merchantKey)) as AnyClient;
    try {
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const summary = toolJson<{ currency: string; chart: { unit: string; points: unknown[] } }>(
        await client.callTool({
          name: 'get_sales_summary',
          arguments: { from: yesterday, to: yesterday },
        }),
      );
      expect(summary.currency).toBe('USD');
      // What a client without Apps reads: the text is the structuredContent, and nothing else rides along.
      const raw = (await client.callTool({
        name: 'get_sales_summary',
        arguments: { from: yesterday, to: yesterday },
      })) as Record<string, unknown>;
      // (The 2026 era's own result _meta is the SDK's, the same for every tool.)
      expect(
        Object.keys(raw)
          .filter((k) => k !== '_meta')
          .sort(),
      ).toEqual(['content', 'structuredContent']);
      expect(JSON.stringify(raw._meta ?? {})).not.toMatch(/ui/);
      expect(raw.content).toEqual([{ type: 'text', text: JSON.stringify(raw.structuredContent) }]);
      expect(summary.chart.unit).toBe('hour');
      expect(summary.chart.points).toHaveLength(24);

      const proposed = toolJson<Record<string, unknown>>(
        await client.callTool({
          name: 'create_refund_intent',
          arguments: { orderId: biz.order.id, reason: 'cold coffee', amountCents: 100 },
        }),
      );
      expect(proposed).toMatchObject({
        amountCents: 100,
        currency: 'USD',
        orderId: biz.order.id,
        proposedBy: { label: expect.stringMatching(/^key /) },
        consoleUrl: `${CONSOLE}/intents/${String(proposed.id)}?business=${biz.business.id}`,
      });
      const listed = toolJson<{ intents: { id: string; consoleUrl: string }[] }>(
        await client.callTool({ name: 'list_intents', arguments: { status: 'pending' } }),
      );
      expect(listed.intents.find((i) => i.id === proposed.id)?.consoleUrl).toBe(
        proposed.consoleUrl,
      );
    } finally {
      await client.close();
    }
  });
});
