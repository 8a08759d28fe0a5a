// The views (MCP Apps) as a chat client shows them: a small host page on
// ext-apps' AppBridge renders each view, in a sandboxed iframe 390 px wide,
// from the real backend's resources/read and tools/call, on a 2025 session
// and on 2026-07-28. The approvals card's button reaches the host as openLink
// to the intent's console page. Screenshots are kept in the test output.
import { Client as V2Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Page, TestInfo } from '@playwright/test';
import { build } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';
import { expect, openConsole, test, type TestBusiness } from './fixtures.ts';
import { CONSOLE_URL, MCP_URL } from './support/env.ts';
// The host page's window is a HostPage (page.evaluate callbacks run there, so they cast inline).
import type { HostPage, RenderRequest } from './views-host/host-api.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

const HOST_URL = 'http://views-host.test/';
const DAY = '2026-11-29';

/** The host page, bundled once into one HTML file (as the views are). */
let hostHtml: Promise<string> | undefined;
function hostPage(): Promise<string> {
  hostHtml ??= build({
    root: new URL('./views-host/', import.meta.url).pathname,
    configFile: false,
    logLevel: 'warn',
    plugins: [viteSingleFile()],
    build: { write: false },
  }).then((out) => {
    const outputs = (Array.isArray(out) ? out : [out]) as {
      output: { fileName: string; source?: unknown }[];
    }[];
    const page = outputs.flatMap((o) => o.output).find((f) => f.fileName.endsWith('.html'));
    return String(page?.source ?? '');
  });
  return hostHtml;
}

/** What both SDK clients offer that a host needs. */
interface HostClient {
  listTools(): Promise<{ tools: { name: string; _meta?: Record<string, unknown> }[] }>;
  readResource(p: { uri: string }): Promise<{ contents: Record<string, unknown>[] }>;
  callTool(p: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
}

async function modernClient(bearer: string): Promise<V2Client> {
  const client = new V2Client(
    { name: 'views-host', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(MCP_URL), {
      requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    }),
  );
  return client;
}

/** Opens the host page, counting every request it (or a view) makes. */
async function openHost(page: Page): Promise<string[]> {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const html = await hostPage();
  await page.route(HOST_URL, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.setViewportSize({ width: 420, height: 1150 });
  await page.goto(HOST_URL);
  return requests;
}

/** Calls `tool` like a host: its view from tools/list + resources/read, then renders its result. */
async function renderTool(
  page: Page,
  client: HostClient,
  tool: string,
  args: Record<string, unknown>,
  theme: 'light' | 'dark',
) {
  const { tools } = await client.listTools();
  const ui = tools.find((t) => t.name === tool)?._meta?.ui as { resourceUri?: string } | undefined;
  expect(ui?.resourceUri, `${tool} has a view`).toMatch(/^ui:\/\/flowpos\//);
  const [content] = (await client.readResource({ uri: ui!.resourceUri! })).contents;
  expect(content?.mimeType).toBe('text/html;profile=mcp-app');
  const result = (await client.callTool({ name: tool, arguments: args })) as Record<
    string,
    unknown
  >;
  const request: RenderRequest = {
    html: String(content?.text),
    csp: (content?._meta as { ui?: { csp?: RenderRequest['csp'] } } | undefined)?.ui?.csp,
    theme,
    toolInput: args,
    toolResult: result,
  };
  await page.evaluate((r) => (globalThis as unknown as HostPage).renderView(r), request);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('html')).toHaveAttribute('data-theme', theme);
  return { frame, result: result.structuredContent as Record<string, unknown> };
}

async function keep(page: Page, testInfo: TestInfo, name: string) {
  // Fits the 390 px column: nothing wider than the frame.
  const width = await page
    .frameLocator('iframe')
    .locator('html')
    .evaluate((html) => html.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  const path = testInfo.outputPath(`${name}.png`);
  await page.locator('iframe').screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

const ERAS = [
  { era: '2025 session', theme: 'light' as const },
  { era: '2026-07-28', theme: 'dark' as const },
];

for (const { era, theme } of ERAS) {
  test(`views render from the backend's results on a ${era} (${theme} theme), approvals open the console`, async ({
    page,
    me: merchant,
    factory,
    database,
    mcp,
  }, testInfo) => {
    const shop: TestBusiness = await factory.business('Views Deli', { member: merchant });
    // Listed first in the console, so the link must switch the console to the intent's business.
    await factory.business('Aardvark Cafe', { member: merchant });
    const { key } = await factory.apiKey(merchant, {
      business: shop,
      scopes: ['pos:read', 'pos:intents'],
      name: 'Till 1',
    });
    const db = database.prisma;
    await db.business.update({
      where: { id: shop.id },
      data: { currency: 'EUR', timeZone: 'Europe/Paris' },
    });
    const bagel = await db.product.create({
      data: { businessId: shop.id, sku: 'BAGEL', name: 'Sesame bagel', priceCents: 350, stock: 40 },
    });
    await db.product.create({
      data: { businessId: shop.id, sku: 'OAT', name: 'Oat milk', priceCents: 200, stock: 2 },
    });
    for (const [hour, quantity, refunded] of [
      [8, 4, 0],
      [12, 2, 350],
      [17, 6, 0],
    ] as const) {
      await db.order.create({
        data: {
          businessId: shop.id,
          totalCents: quantity * 350,
          refundedCents: refunded,
          status: refunded ? 'partially_refunded' : 'completed',
          // Paris is UTC+1 in November: local 09:15, 13:15 and 18:15.
          placedAt: new Date(`${DAY}T${String(hour).padStart(2, '0')}:15:00Z`),
          lines: { create: [{ productId: bagel.id, quantity, unitPriceCents: 350 }] },
        },
      });
    }

    const client: HostClient =
      era === '2026-07-28' ? await modernClient(key) : (await mcp(key)).client;
    const requests = await openHost(page);

    const summary = await renderTool(
      page,
      client,
      'get_sales_summary',
      { from: DAY, to: DAY },
      theme,
    );
    await expect(summary.frame.getByRole('heading', { name: 'Sales summary' })).toBeVisible();
    // 12 bagels at €3.50 less one refunded: €38.50 net.
    await expect(summary.frame.getByText('€38.50')).toBeVisible();
    await expect(summary.frame.locator('svg rect.bar')).toHaveCount(24);
    await expect(summary.frame.getByText(/Europe\/Paris · EUR/)).toBeVisible();
    const hours = (summary.result.chart as { points: { key: string; netCents: number }[] }).points;
    expect(hours.filter((p) => p.netCents > 0).map((p) => p.key)).toEqual(['09', '13', '18']);
    await expect(summary.frame.getByText('Sesame bagel')).toBeVisible();
    await keep(page, testInfo, `sales-summary-${era}`);

    const proposal = await renderTool(
      page,
      client,
      'create_sale_intent',
      { lines: [{ productId: bagel.id, quantity: 3 }], note: 'catering' },
      theme,
    );
    const intentId = String(proposal.result.id);
    const intentPage = `${CONSOLE_URL}/intents/${intentId}?business=${shop.id}`;
    await expect(proposal.frame.getByText('€10.50')).toBeVisible();
    await expect(proposal.frame.getByText(/Proposed by key Till 1/)).toBeVisible();
    await keep(page, testInfo, `approvals-proposal-${era}`);

    const approvals = await renderTool(page, client, 'list_intents', { status: 'pending' }, theme);
    await approvals.frame
      .getByRole('button', { name: `Open intent ${intentId} in the console` })
      .click();
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as HostPage).openedLinks))
      .toEqual([intentPage]);
    await keep(page, testInfo, `approvals-${era}`);

    const close = await renderTool(page, client, 'end_of_day_report', { date: DAY }, theme);
    await expect(close.frame.getByRole('heading', { name: /^Close of/ })).toBeVisible();
    await expect(close.frame.getByRole('region', { name: 'Low stock' })).toContainText('Oat milk');
    await expect(close.frame.getByRole('region', { name: 'Pending intents' })).toContainText(
      '€10.50',
    );
    await expect(
      close.frame.getByText('Not recorded: sales carry no payment method.'),
    ).toBeVisible();
    await keep(page, testInfo, `end-of-day-${era}`);

    // The views fetched nothing: the only request was the host page itself.
    expect(requests).toEqual([HOST_URL]);
    if (client instanceof V2Client) await client.close();

    // The link opens the intent's business in the console, where a merchant decides it.
    await openConsole(page, merchant, '/intents');
    await page.goto(intentPage);
    const intent = page.getByRole('region', { name: 'Intent' });
    await expect(intent.getByRole('button', { name: 'Approve' })).toBeVisible();
  });
}
