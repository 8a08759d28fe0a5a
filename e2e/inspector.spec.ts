// The session inspector: a merchant opens a live 2025 session from the
// sessions page and watches its requests arrive while an MCP client works
// (the page polls every second), with argument names and only safe values;
// a sessionless 2026 client opens the same way. Screenshots at 1280 and 390 px.
import { Client as V2Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { expect, openConsole, snap, test } from './fixtures.ts';
import { MCP_URL } from './support/env.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

test('the inspector shows a session its calls live, then a sessionless client', async ({
  page,
  me: merchant,
  factory,
  mcp,
}) => {
  // The dev console compiles the inspector's page on its first visit.
  test.slow();
  const { key } = await factory.businessWithKey(merchant, 'Inspector Cafe', {
    scopes: ['pos:read'],
    name: 'Counter till',
  });
  const session = await mcp(key.key, 'e2e-inspected');
  await session.client.listTools();

  await openConsole(page, merchant, '/sessions');
  const row = page.locator(`tr[data-session-id="${session.sessionId}"]`);
  await expect(row).toBeVisible({ timeout: 10_000 });
  await expect(row).toHaveAttribute('data-activity', 'active');
  await expect(row).toContainText('Counter till');
  await row.getByRole('link', { name: `Inspect session ${session.sessionId}` }).click();
  await page.waitForURL((url) => url.pathname === '/sessions/inspect', { timeout: 120_000 });
  await expect(page.getByRole('heading', { name: /^Inspector: session/ })).toBeVisible({
    timeout: 60_000,
  });
  const table = page.getByRole('table', { name: 'Recent MCP requests' });
  await expect(table.locator('tr[data-method="tools/list"]')).toHaveCount(1);

  // Made while the page is open: it has to show them by polling.
  const calls = table.locator('tr[data-method="tools/call"]');
  await expect(calls).toHaveCount(0);
  await session.client.callTool({
    name: 'list_products',
    arguments: { search: 'private words', category: 'drinks' },
  });
  await expect(calls).toHaveCount(1, { timeout: 5_000 });
  await expect(calls.first()).toContainText('list_products');
  await expect(calls.first()).toContainText('search');
  await expect(calls.first()).toContainText('category="drinks"');
  await expect(table).not.toContainText('private words');
  await session.client.callTool({ name: 'whoami', arguments: {} });
  await expect(calls).toHaveCount(2, { timeout: 5_000 });
  // Newest first.
  await expect(calls.first()).toContainText('whoami');
  await expect(calls.first().getByText('ok', { exact: true })).toBeVisible();

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    await expect(calls.first()).toBeVisible();
    await snap(page, 'inspector');
    const size = viewport.width <= 500 ? 'mobile' : 'desktop';
    console.log(`screenshot: test-results/screenshots/inspector-${size}.png (${viewport.width}px)`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // A sessionless (2026-07-28) client, per credential.
  const modern = new V2Client(
    { name: 'e2e-inspected-2026', version: '1.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await modern.connect(
    new StreamableHTTPClientTransport(new URL(MCP_URL), {
      requestInit: { headers: { Authorization: `Bearer ${key.key}` } },
    }),
  );
  try {
    await modern.callTool({ name: 'whoami', arguments: {} });
    await page.getByRole('link', { name: 'Back to sessions' }).click();
    const client = page
      .getByRole('table', { name: 'Sessionless MCP clients' })
      .getByRole('row')
      .filter({ hasText: 'e2e-inspected-2026' });
    await expect(client).toBeVisible({ timeout: 30_000 });
    await client.getByRole('link', { name: 'Inspect Counter till' }).click();
    await expect(
      page.getByRole('heading', { name: 'Inspector: sessionless client' }),
    ).toBeVisible();
    const modernCalls = page
      .getByRole('table', { name: 'Recent MCP requests' })
      .locator('tr[data-method="tools/call"]');
    await expect(modernCalls).toHaveCount(1, { timeout: 5_000 });
    await modern.callTool({ name: 'get_product', arguments: { sku: 'NO-SUCH-SKU' } });
    await expect(modernCalls).toHaveCount(2, { timeout: 5_000 });
    await expect(modernCalls.first()).toContainText('sku="NO-SUCH-SKU"');
    await expect(modernCalls.first()).toContainText('tool error');
  } finally {
    await modern.close();
  }
});
