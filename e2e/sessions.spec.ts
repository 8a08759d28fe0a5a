// Live sessions: an operator sees an MCP client's session appear (the list
// polls), filters it, and ends it; the client's next call fails. A
// sessionless (2026-07-28) client shows per credential and is cut off.
import { Client as V2Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { expect, openConsole, test } from './fixtures.ts';
import { MCP_URL } from './support/env.ts';
import { exchangeToken } from './support/mcp.ts';

// Pages open signed in as the worker's platform operator account (fixtures.ts).
test.use({ signedInAs: 'platform_operator' });

test('an operator sees a live MCP session and ends it', async ({
  page,
  me: operator,
  factory,
  mcp,
}) => {
  const shop = await factory.business('Session Bistro');
  const merchant = await factory.user({
    label: 'merchant',
    memberships: [{ business: shop, role: 'merchant' }],
  });
  const key = await factory.apiKey(merchant, {
    business: shop,
    scopes: ['pos:read'],
    name: 'Session key',
  });

  await openConsole(page, operator, '/sessions');
  await expect(page.getByRole('heading', { name: 'Sessions' })).toBeVisible();

  // Opened after the page loaded: the list has to pick it up by polling.
  const client = await mcp(key.key, 'e2e-inspector');
  const row = page.locator(`tr[data-session-id="${client.sessionId}"]`);
  await expect(row).toBeVisible({ timeout: 10_000 });
  // The key by its name, its prefix beneath.
  await expect(row.getByRole('cell').nth(1)).toHaveText(`Session key${key.prefix}…`);
  await expect(row).toContainText('Merchant');
  await expect(row).toContainText(shop.name);
  await expect(row).toContainText('e2e-inspector');
  await expect(row).toContainText('1.2.3');
  await expect(row).toContainText('V1 key');
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2}/);

  // Filters narrow the list.
  await page.getByLabel('Auth kind').selectOption('token');
  await expect(row).toBeHidden();
  await page.getByLabel('Auth kind').selectOption('api_key');
  await page
    .getByRole('form', { name: 'Session filters' })
    .getByLabel('Business')
    .selectOption({ label: shop.name });
  await expect(row).toBeVisible();
  await page.getByLabel('Role').selectOption('tenant_developer');
  await expect(row).toBeHidden();
  await page.getByLabel('Role').selectOption('');
  await expect(row).toBeVisible();

  // End it, with a confirmation.
  await row.getByRole('button', { name: `End session ${client.sessionId}` }).click();
  const confirm = page.getByRole('dialog', { name: 'End this session?' });
  await confirm.getByRole('button', { name: 'End session' }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toBeHidden();
  await expect(client.client.listTools()).rejects.toThrow();
});

test.describe('as a merchant', () => {
  test.use({ signedInAs: 'merchant' });

  test('a merchant sees the sessions of their business only, V2 tokens included', async ({
    page,
    me: merchant,
    factory,
    mcp,
  }) => {
    const { other } = await factory.rivalMerchants(merchant);

    const own = await mcp(await exchangeToken(await merchant.idToken()), 'e2e-own');
    const foreign = await mcp(await exchangeToken(await other.idToken()), 'e2e-foreign');

    await openConsole(page, merchant, '/sessions');
    const ownRow = page.locator(`tr[data-session-id="${own.sessionId}"]`);
    await expect(ownRow).toBeVisible();
    await expect(ownRow).toContainText('V2 token');
    await expect(ownRow).toContainText(merchant.email);
    await expect(page.locator(`tr[data-session-id="${foreign.sessionId}"]`)).toHaveCount(0);
  });
});

test('an operator sees a 2026-07-28 client and cuts it off', async ({
  page,
  me: operator,
  factory,
}) => {
  const shop = await factory.business('Modern Diner');
  const merchant = await factory.user({
    label: 'merchant',
    memberships: [{ business: shop, role: 'merchant' }],
  });
  const key = await factory.apiKey(merchant, { business: shop, scopes: ['pos:read'] });
  const client = new V2Client(
    { name: 'e2e-modern', version: '2.4.6' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(MCP_URL), {
      requestInit: { headers: { Authorization: `Bearer ${key.key}` } },
    }),
  );
  try {
    await client.listTools();
    await openConsole(page, operator, '/sessions');
    const row = page
      .getByRole('table', { name: 'Sessionless MCP clients' })
      .getByRole('row')
      .filter({ hasText: 'e2e-modern' });
    await expect(row).toBeVisible({ timeout: 10_000 });
    await expect(row).toContainText(`${key.prefix}…`);
    await expect(row).toContainText('2.4.6');
    await expect(row).toContainText('2026-07-28');
    await expect(row).toContainText(shop.name);

    await row.getByRole('button', { name: /^Cut off / }).click();
    const confirm = page.getByRole('dialog', { name: 'Cut this client off?' });
    await confirm.getByRole('button', { name: 'Revoke credential' }).click();
    await expect(confirm).toBeHidden();
    await expect(row).toBeHidden();
    // A call (a list could come from the client's cache): refused, the key is revoked.
    await expect(client.callTool({ name: 'whoami', arguments: {} })).rejects.toThrow();
  } finally {
    await client.close();
  }
});
