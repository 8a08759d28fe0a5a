// What a client and its model read in tools/list, on both eras: every tool's
// title, its hints (a tool that writes states whether it destroys and whether
// a repeat changes anything) and an icon, and the server's own title and icon.
// The icons are inline SVG data: URIs, so a client never fetches anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey } from '../../support/fixtures.ts';
import { connectClient, connectModernClient } from '../../support/mcp-client.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

let db: TestDatabase;
let server: TestServer;
let operatorKey: string;

beforeAll(async () => {
  db = await createTestDatabase('tool_annotations');
  server = await startTestServer({ databaseUrl: db.url });
  const { business } = await createBusiness(db.prisma);
  const scopes = ['pos:read', 'pos:intents', 'sessions:read', 'operator'] as const;
  // An operator key sees every tool but set_active_business (it has one business).
  operatorKey = (
    await createKey(db.prisma, {
      businessId: business.id,
      role: 'platform_operator',
      scopes: [...scopes],
    })
  ).key;
});

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const reads = { readOnlyHint: true, openWorldHint: false };
const writes = (destructiveHint: boolean, idempotentHint: boolean) => ({
  readOnlyHint: false,
  destructiveHint,
  idempotentHint,
  openWorldHint: false,
});

/** What each visible tool tells the client; a new tool must be added here. */
const EXPECTED: Record<string, { title: string; annotations: object }> = {
  whoami: { title: 'Who am I', annotations: reads },
  list_products: { title: 'List products', annotations: reads },
  get_product: { title: 'Get a product', annotations: reads },
  list_orders: { title: 'List orders', annotations: reads },
  get_sales_summary: { title: 'Sales summary', annotations: reads },
  end_of_day_report: { title: 'End-of-day report', annotations: reads },
  create_sale_intent: { title: 'Propose a sale', annotations: writes(false, false) },
  create_refund_intent: { title: 'Propose a refund', annotations: writes(false, false) },
  list_intents: { title: 'List intents', annotations: reads },
  cancel_intent: { title: 'Cancel an intent', annotations: writes(true, true) },
  list_businesses: { title: 'List businesses (operator)', annotations: reads },
  list_sessions: { title: 'List MCP sessions (operator)', annotations: reads },
  end_session: { title: 'End an MCP session (operator)', annotations: writes(true, true) },
};

interface Listed {
  name: string;
  title?: string;
  annotations?: object;
  icons?: { src: string; mimeType?: string; sizes?: string[] }[];
}

/** An icon a client can show without a request: an inline SVG with no script or link in it. */
function expectInlineSvgIcons(icons: Listed['icons']) {
  expect(icons).toHaveLength(1);
  const [icon] = icons ?? [];
  expect(icon?.mimeType).toBe('image/svg+xml');
  expect(icon?.sizes).toEqual(['any']);
  const prefix = 'data:image/svg+xml;base64,';
  expect(icon?.src.startsWith(prefix)).toBe(true);
  const svg = Buffer.from(icon?.src.slice(prefix.length) ?? '', 'base64').toString('utf8');
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>.*<\/svg>$/s);
  expect(svg).not.toMatch(/<script|<style|href|on[a-z]+=|url\(/i);
}

function expectToolsShown(tools: Listed[]) {
  expect(tools.map((t) => t.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  for (const tool of tools) {
    const expected = EXPECTED[tool.name];
    expect({ name: tool.name, title: tool.title, annotations: tool.annotations }).toEqual({
      name: tool.name,
      ...expected,
    });
    expectInlineSvgIcons(tool.icons);
  }
  // Tools of one kind share an icon; products and orders do not look alike.
  const iconOf = (name: string) => tools.find((t) => t.name === name)?.icons?.[0]?.src;
  expect(iconOf('list_products')).toBe(iconOf('get_product'));
  expect(iconOf('list_products')).not.toBe(iconOf('list_orders'));
}

function expectServerShown(info: { name: string; title?: string; icons?: Listed['icons'] }) {
  expect(info.name).toBe('flowpos-mcp');
  expect(info.title).toBe('FlowPOS');
  expectInlineSvgIcons(info.icons);
}

describe('tools/list shows titles, hints and icons', () => {
  it('on a 2025-11-25 session, with the server title and icon in initialize', async () => {
    const conn = await connectClient(server.mcpUrl, operatorKey);
    try {
      expectServerShown(conn.client.getServerVersion() as Parameters<typeof expectServerShown>[0]);
      const { tools } = await conn.client.listTools();
      expectToolsShown(tools as Listed[]);
    } finally {
      await conn.close();
    }
  });

  it('on 2026-07-28 requests, with the server title and icon in discovery', async () => {
    const client = await connectModernClient(server.mcpUrl, operatorKey);
    try {
      expect(client.getProtocolEra()).toBe('modern');
      expectServerShown(client.getServerVersion() as Parameters<typeof expectServerShown>[0]);
      const { tools } = await client.listTools();
      expectToolsShown(tools as Listed[]);
    } finally {
      await client.close();
    }
  });
});
