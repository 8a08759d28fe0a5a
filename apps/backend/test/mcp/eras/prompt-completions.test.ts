// Prompt arguments complete as the person types (`completion/complete`), on
// both eras, and never reveal more than the caller may read: product names and
// SKUs of the active business only (another business's follow a switch), and
// only the names of businesses the caller holds. Got prompts resolve the same
// names within the same bounds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { signerLike } from '../../support/harness.ts';
import { connectClient, connectModernClient } from '../../support/mcp-client.ts';
import { createDbUser } from '../../support/shared-services.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

let db: TestDatabase;
let server: TestServer;
let token: string;
let cafe: { id: string; name: string };
let deli: { id: string; name: string };
let elsewhere: { id: string; name: string };
const tag = unique('t');

async function shop(name: string, products: { name: string; sku: string; isActive?: boolean }[]) {
  const { business } = await createBusiness(db.prisma, name, 0);
  for (const p of products)
    await db.prisma.product.create({
      data: { businessId: business.id, priceCents: 300, stock: 9, ...p },
    });
  return { id: business.id, name: business.name };
}

beforeAll(async () => {
  db = await createTestDatabase('completions');
  server = await startTestServer({ databaseUrl: db.url });
  cafe = await shop(`Alpha Cafe ${tag}`, [
    { name: 'Flat White', sku: 'FW-1' },
    { name: 'Flapjack', sku: 'FJ-2' },
    { name: 'Mocha', sku: 'FLX-3' },
    { name: 'Flask', sku: 'FK-4', isActive: false },
  ]);
  deli = await shop(`Alpine Deli ${tag}`, [{ name: 'Flan', sku: 'FL-9' }]);
  // Someone else's business: its name must never be offered.
  elsewhere = await shop(`Alps Bakery ${tag}`, [{ name: 'Flute', sku: 'FT-1' }]);
  const user = await createDbUser(db.prisma, {
    email: `${unique('completer')}@test.flowpos`,
    memberships: [
      { businessId: cafe.id, role: 'merchant' },
      { businessId: deli.id, role: 'merchant' },
    ],
  });
  ({ token } = await signerLike(server.services).sign({
    sub: user.id,
    email: user.email,
    role: 'merchant',
    businessIds: [cafe.id, deli.id],
  }));
});

afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** What both SDK clients have in common for these calls. */
interface Completer {
  complete(params: {
    ref: { type: 'ref/prompt'; name: string };
    argument: { name: string; value: string };
  }): Promise<{ completion: { values: string[] } }>;
  getPrompt(params: { name: string; arguments: Record<string, string> }): Promise<{
    messages: { content: { type: string; text?: string } }[];
  }>;
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  listPrompts(): Promise<{
    prompts: { name: string; arguments?: { name: string; description?: string }[] }[];
  }>;
  close(): Promise<void>;
}

const values = async (client: Completer, prompt: string, argument: string, value: string) =>
  (
    await client.complete({
      ref: { type: 'ref/prompt', name: prompt },
      argument: { name: argument, value },
    })
  ).completion.values;

const promptText = async (client: Completer, name: string, args: Record<string, string>) => {
  const content = (await client.getPrompt({ name, arguments: args })).messages[0]?.content;
  return content?.text ?? '';
};

async function legacyClient(bearer: string): Promise<Completer> {
  return (await connectClient(server.mcpUrl, bearer)).client as unknown as Completer;
}

async function modernClient(bearer: string): Promise<Completer> {
  const client = await connectModernClient(server.mcpUrl, bearer);
  expect(client.getProtocolEra()).toBe('modern');
  return client as unknown as Completer;
}

describe.each([
  ['2025-11-25 session', legacyClient],
  ['2026-07-28 requests', modernClient],
])('prompt argument completions on a %s', (_era, connect) => {
  it("offers the active business's product names and SKUs only", async () => {
    const client = await connect(token);
    try {
      await client.callTool({ name: 'set_active_business', arguments: { businessId: cafe.id } });
      // Names first, then SKUs; an inactive product and other businesses' never.
      expect(await values(client, 'product_sales', 'product', 'fl')).toEqual([
        'Flapjack',
        'Flat White',
        'FLX-3',
      ]);
      expect(await values(client, 'product_sales', 'product', 'FW')).toEqual(['FW-1']);
      expect(await values(client, 'product_sales', 'product', 'Flu')).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('resolves a product by SKU or name in the active business only', async () => {
    const client = await connect(token);
    try {
      await client.callTool({ name: 'set_active_business', arguments: { businessId: cafe.id } });
      expect(await promptText(client, 'product_sales', { product: 'FW-1' })).toContain(
        'Flat White (SKU FW-1)',
      );
      expect(await promptText(client, 'product_sales', { product: 'flapjack' })).toContain(
        'SKU FJ-2',
      );
      // A SKU is matched exactly, a name in any case.
      await expect(promptText(client, 'product_sales', { product: 'fw-1' })).rejects.toThrow(
        /No active product named or with SKU "fw-1"/,
      );
      await expect(promptText(client, 'product_sales', { product: 'Flan' })).rejects.toThrow(
        /No active product named or with SKU "Flan" in the active business/,
      );
      await client.callTool({ name: 'set_active_business', arguments: { businessId: deli.id } });
      expect(await values(client, 'product_sales', 'product', 'FL')).toEqual(['Flan', 'FL-9']);
      expect(await promptText(client, 'product_sales', { product: 'Flan' })).toContain('FL-9');
    } finally {
      await client.close();
    }
  });

  it('offers and accepts only the names of businesses the caller holds', async () => {
    const client = await connect(token);
    try {
      const args = Object.fromEntries(
        (await client.listPrompts()).prompts.map((p) => [p.name, p.arguments]),
      );
      expect(args.product_sales).toEqual([
        { name: 'product', description: 'The product, by name or SKU', required: true },
      ]);
      expect(args.end_of_day_report?.map((a) => [a.name, a.description])).toContainEqual([
        'business',
        'The business to report on, by name; the active one when omitted',
      ]);
      await client.callTool({ name: 'set_active_business', arguments: { businessId: cafe.id } });
      expect(await values(client, 'end_of_day_report', 'business', 'alp')).toEqual([
        cafe.name,
        deli.name,
      ]);
      expect(await values(client, 'end_of_day_report', 'business', 'Alps')).toEqual([]);
      const report = await promptText(client, 'end_of_day_report', {
        business: deli.name.toUpperCase(),
        date: '2026-11-29',
      });
      expect(report).toContain(`set_active_business with businessId ${deli.id}`);
      expect(report).toContain(`of ${deli.name} for 2026-11-29`);
      await expect(
        promptText(client, 'end_of_day_report', { business: elsewhere.name }),
      ).rejects.toThrow(/No business of yours is named/);
    } finally {
      await client.close();
    }
  });

  it('completes nothing for a credential that may not read the business', async () => {
    const key = (await createKey(db.prisma, { businessId: cafe.id, scopes: ['sessions:read'] }))
      .key;
    const client = await connect(key);
    try {
      await expect(values(client, 'product_sales', 'product', 'F')).rejects.toThrow();
      await expect(values(client, 'end_of_day_report', 'business', 'A')).rejects.toThrow();
    } finally {
      await client.close();
    }
  });
});
