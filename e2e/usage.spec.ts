// Usage in the console: after an MCP client's calls, the key's page charts
// them (calls per hour, errors by kind) and lists them per tool; the Usage
// overview shows the business's keys and tools. Screenshots of the overview
// at 1280 and 390 px: test-results/screenshots/usage-*.png.
import type { Page } from '@playwright/test';
import { expect, openConsole, snap, test } from './fixtures.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

async function settle(page: Page) {
  await expect(page.getByRole('status').filter({ hasText: /Loading/ })).toHaveCount(0, {
    timeout: 60_000,
  });
}

test('the key page charts its calls, and the usage overview shows them at both sizes', async ({
  page,
  me: owner,
  factory,
  mcp,
}) => {
  test.setTimeout(300_000);
  const bar = await factory.business('Usage Bar', { member: owner });
  const key = await factory.apiKey(owner, {
    business: bar,
    scopes: ['pos:read', 'pos:intents'],
    name: 'Till assistant',
  });
  const client = (await mcp(key.key, 'claude-ai')).client;
  for (let i = 0; i < 3; i++) await client.callTool({ name: 'list_products' });
  await client.callTool({ name: 'whoami' });
  // Refused by the tool for its arguments: an error of kind "bad arguments".
  await client.callTool({ name: 'get_product', arguments: {} });
  await factory.usageWritten(bar, 5);

  await openConsole(page, owner);
  await page.getByRole('link', { name: 'Till assistant' }).click();
  await expect(page.getByRole('heading', { name: 'Key “Till assistant”', level: 1 })).toBeVisible({
    timeout: 60_000,
  });
  const chart = page.getByRole('figure', { name: 'Calls per hour, the last 48 hours' });
  await expect(chart).toContainText('5 calls, 1 errors', { timeout: 60_000 });
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  const perTool = page.getByRole('table', { name: /Usage per tool/ });
  await expect(perTool.getByRole('row', { name: /list_products/ })).toContainText('3');
  await expect(perTool.getByRole('row', { name: /get_product/ })).toContainText('1 bad arguments');
  await page.getByRole('button', { name: '90 days' }).click();
  await expect(page.getByRole('figure', { name: 'Calls per day, the last 90 days' })).toContainText(
    '5 calls',
    { timeout: 60_000 },
  );

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
  await expect(page.getByRole('heading', { name: 'Usage', level: 1 })).toBeVisible({
    timeout: 60_000,
  });
  await settle(page);
  const top = page.getByRole('table', { name: /Top keys and apps/ });
  await expect(top.getByRole('row', { name: /Till assistant/ })).toContainText('5', {
    timeout: 60_000,
  });
  await expect(page.getByRole('table', { name: /Errors by key and tool/ })).toContainText(
    'get_product',
  );
  for (const size of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(size);
    await expect(page.getByRole('figure', { name: /Calls per hour/ })).toBeVisible();
    // Nothing runs off the side of a phone's screen.
    const html = page.locator('html');
    expect(await html.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    await snap(page, 'usage');
    console.log(
      `usage page screenshot: test-results/screenshots/usage-${size.width <= 500 ? 'mobile' : 'desktop'}.png`,
    );
  }
});

test.describe('as a platform operator', () => {
  test.use({ signedInAs: 'platform_operator' });

  test('operators see usage across businesses', async ({ page, me: operator, factory, mcp }) => {
    test.setTimeout(240_000);
    const shop = await factory.business('Usage Shop');
    const merchant = await factory.user({
      label: 'usage-merchant',
      memberships: [{ business: shop, role: 'merchant' }],
    });
    const key = await factory.apiKey(merchant, {
      business: shop,
      scopes: ['pos:read'],
      name: 'Reporting job',
    });
    await (await mcp(key.key)).client.callTool({ name: 'list_orders' });
    await factory.usageWritten(shop, 1);

    await openConsole(page, operator, '/usage');
    await expect(page.getByRole('checkbox', { name: 'All businesses' })).toBeChecked({
      timeout: 60_000,
    });
    const top = page.getByRole('table', { name: /Top keys and apps/ });
    await expect(top.getByRole('row', { name: /Reporting job/ })).toContainText(shop.name, {
      timeout: 60_000,
    });
  });
});
