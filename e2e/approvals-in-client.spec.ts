// Approval in the AI client: an MCP client that can open URLs proposes a
// refund, shows the person the link to the intent's console page, the
// merchant signs in there in Chromium and decides, and the same tool call
// answers the decision. Both protocol eras, the client's requests spread over
// two backend instances sharing PostgreSQL and Redis.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { expect, snap, test } from './fixtures.ts';
import { BACKEND_PORT, CONSOLE_URL, MCP_URL } from './support/env.ts';
import { startSecondBackend, type SecondBackend } from './support/second-backend.ts';

let second: SecondBackend | undefined;

test.beforeAll(async () => {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error('E2E_DATABASE_URL is not set (global setup did not run)');
  second = await startSecondBackend(url);
});

test.afterAll(async () => {
  await second?.stop();
});

/** Alternates the client's POSTs between the two instances; its GET stream stays on the first. */
function spreadFetch(ports: number[]): typeof fetch {
  let n = 0;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if ((init?.method ?? 'GET').toUpperCase() !== 'GET') url.port = String(ports[n++ % 2]);
    return fetch(url, init);
  }) as typeof fetch;
}

/** An SDK v2 client declaring URL elicitation; `links` receives each link it is asked to open. */
async function urlClient(bearer: string, modern: boolean, onLink: (url: string) => void) {
  const transport = new StreamableHTTPClientTransport(new URL(MCP_URL), {
    requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    fetch: spreadFetch([BACKEND_PORT, second?.port ?? BACKEND_PORT]),
  });
  const client = new Client(
    { name: 'approving-client', version: '1.0.0' },
    {
      capabilities: { elicitation: { url: {} } },
      ...(modern ? { versionNegotiation: { mode: 'auto' as const } } : {}),
    },
  );
  client.setRequestHandler('elicitation/create', async (request) => {
    const params = request.params as { mode?: string; url?: string };
    if (params.mode === 'url' && params.url) onLink(params.url);
    return { action: 'accept' };
  });
  await client.connect(transport);
  return client;
}

for (const { era, modern } of [
  { era: '2026-07-28', modern: true },
  { era: '2025-11-25', modern: false },
]) {
  test(`${era}: the merchant approves on the linked console page and the same call answers approved`, async ({
    page,
    factory,
    database,
  }) => {
    const shop = await factory.business('Approval Cafe');
    const merchant = await factory.user({
      label: 'merchant',
      memberships: [{ business: shop, role: 'merchant' }],
    });
    const key = await factory.apiKey(merchant, {
      business: shop,
      scopes: ['pos:read', 'pos:intents'],
    });
    const { order } = await factory.order(shop, {
      sku: 'MUG',
      name: 'Mug',
      priceCents: 1800,
      stock: 5,
    });
    let opened!: (url: string) => void;
    const link = new Promise<string>((resolve) => (opened = resolve));
    const client = await urlClient(key.key, modern, (url) => opened(url));
    try {
      const call = client.callTool({
        name: 'create_refund_intent',
        arguments: { orderId: order.id, reason: 'Chipped mug', amountCents: 600 },
      });
      const url = await link;
      expect(url.startsWith(`${CONSOLE_URL}/intents/`)).toBe(true);

      // The link, signed out: sign in, and come back to the same intent.
      await page.goto(url);
      await page.waitForURL((u) => u.pathname === '/sign-in');
      await page.getByLabel('Email').fill(merchant.email);
      await page.getByLabel('Password').fill(merchant.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => u.href === url);
      const intent = page.getByRole('region', { name: 'Intent' });
      await expect(intent.getByText('Chipped mug')).toBeVisible();
      if (modern) await snap(page, 'intent-approval-link');
      await intent.getByRole('button', { name: 'Approve', exact: true }).click();
      // Approving asks first, with what it does in view.
      await page
        .getByRole('dialog', { name: 'Approve this refund?' })
        .getByRole('button', { name: 'Approve refund' })
        .click();
      await expect(page.getByRole('status').filter({ hasText: 'approved' })).toContainText(
        'You can return to your AI client',
      );
      if (modern) await snap(page, 'intent-approval-decided');

      const result = await call;
      const answered = result.structuredContent as { id: string; status: string };
      expect(answered.status).toBe('approved');
      expect(url).toBe(`${CONSOLE_URL}/intents/${answered.id}?business=${shop.id}`);
      const refunded = await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
      expect(refunded.refundedCents).toBe(600);
      expect(await database.prisma.intent.count({ where: { orderId: order.id } })).toBe(1);
    } finally {
      await client.close().catch(() => undefined);
    }
  });
}
