// The everyday pages as a newcomer finds them (issue 20 item 7): how to
// connect a client, what approving an intent does, and hiding revoked keys.
import { BACKEND_URL } from './support/env.ts';
import { expect, openConsole, test } from './fixtures.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

const MCP_URL = `${BACKEND_URL}/mcp`;

// The dev console compiles each page on its first visit: room for that on a busy machine.
test.describe.configure({ timeout: 240_000 });

test('the new key dialog and an empty Connected apps page show the MCP URL and client snippets', async ({
  page,
  me: merchant,
  factory,
}) => {
  await factory.business('Snippet Stand', { member: merchant });
  await openConsole(page, merchant, '/connected-apps');
  await expect(page.getByText('No connected apps')).toBeVisible();
  await expect(page.getByTestId('mcp-url')).toHaveText(MCP_URL);
  const snippet = page.getByTestId('connect-snippet');
  await expect(snippet).toHaveText(`claude mcp add --transport http flowpos ${MCP_URL}`);
  await page.getByRole('tab', { name: 'VS Code' }).click();
  await expect(snippet).toContainText(`"url": "${MCP_URL}"`);
  await expect(snippet).not.toContainText('Authorization');
  await page.getByRole('tab', { name: 'ChatGPT' }).click();
  await expect(snippet).toHaveText(MCP_URL);

  await page.goto('/keys');
  await page.getByRole('button', { name: 'Create key' }).click();
  const form = page.getByRole('dialog', { name: 'Create API key' });
  await form.getByLabel('Name').fill('Cursor on the laptop');
  await form.getByRole('button', { name: 'Create key' }).click();
  const secretDialog = page.getByRole('dialog', { name: 'Copy your new API key' });
  const secret = await secretDialog.getByLabel('API key secret').inputValue();
  await expect(secretDialog.getByTestId('mcp-url')).toHaveText(MCP_URL);
  await secretDialog.getByText('How to connect Claude, ChatGPT, Cursor or VS Code').click();
  await expect(secretDialog.getByTestId('connect-snippet')).toHaveText(
    `claude mcp add --transport http flowpos ${MCP_URL} --header "Authorization: Bearer ${secret}"`,
  );
  await secretDialog.getByRole('tab', { name: 'Cursor' }).click();
  const cursor = JSON.parse(await secretDialog.getByTestId('connect-snippet').innerText()) as {
    mcpServers: { flowpos: { url: string; headers: { Authorization: string } } };
  };
  // Files that may be shared read the key from the environment, not the snippet.
  expect(cursor.mcpServers.flowpos).toEqual({
    url: MCP_URL,
    headers: { Authorization: 'Bearer ${env:FLOWPOS_MCP_KEY}' },
  });
});

test('approving a sale shows its amount, stock after, proposer and client, asks to confirm, and links to the order', async ({
  page,
  me: merchant,
  factory,
  database,
}) => {
  const shop = await factory.business('Confirm Cafe', { member: merchant });
  const key = await factory.apiKey(merchant, {
    business: shop,
    scopes: ['pos:read', 'pos:intents'],
    name: 'Till assistant',
  });
  const intent = await factory.saleIntent(shop, { note: 'Two lattes', totalCents: 900 });
  await database.prisma.intent.update({
    where: { id: intent.id },
    data: { createdBy: `key:${key.id}` },
  });

  await openConsole(page, merchant, `/intents/${intent.id}`);
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Approve this sale?' });
  await expect(confirm).toContainText('$9.00');
  await expect(confirm).toContainText('100 in stock → 98 after');
  await expect(confirm).toContainText('key Till assistant');
  await expect(confirm).toContainText('API key “Till assistant”');
  // Nothing is decided before the confirmation.
  expect(
    (await database.prisma.intent.findUniqueOrThrow({ where: { id: intent.id } })).status,
  ).toBe('pending');
  await confirm.getByRole('button', { name: 'Approve sale' }).click();
  await expect(confirm).toBeHidden();

  const decided = await database.prisma.intent.findUniqueOrThrow({ where: { id: intent.id } });
  expect(decided.status).toBe('approved');
  const status = page.getByRole('status').filter({ hasText: 'This sale is approved' });
  await status.getByRole('link', { name: /^Order / }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${decided.orderId}$`));
  const lines = page.getByRole('table', { name: 'Order lines' });
  await expect(lines).toContainText('Latte');
  await expect(page.getByText('$9.00').first()).toBeVisible();
});

test('approving from the intents list confirms first and then links to the order', async ({
  page,
  me: merchant,
  factory,
}) => {
  const shop = await factory.business('List Confirm Bakery', { member: merchant });
  const intent = await factory.saleIntent(shop, { note: 'Morning rush', totalCents: 500 });
  await openConsole(page, merchant, '/intents');
  await page.getByRole('button', { name: `Approve intent ${intent.id}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Approve this sale?' });
  await expect(confirm).toContainText('100 in stock → 98 after');
  await confirm.getByRole('button', { name: 'Approve sale' }).click();
  const result = page.getByTestId('approved-result');
  await expect(result).toContainText('Sale of $5.00 approved');
  await expect(result.getByRole('link', { name: /^Order / })).toHaveAttribute(
    'href',
    /^\/orders\//,
  );
});

test('revoked keys can be hidden, and the choice is kept in the URL', async ({
  page,
  me: merchant,
  factory,
  database,
}) => {
  const shop = await factory.business('Revoked Rack', { member: merchant });
  await factory.apiKey(merchant, { business: shop, scopes: ['pos:read'], name: 'Live key' });
  const old = await factory.apiKey(merchant, {
    business: shop,
    scopes: ['pos:read'],
    name: 'Old key',
  });
  await database.prisma.apiKey.update({
    where: { id: old.id },
    data: { isActive: false, revokedAt: new Date() },
  });

  await openConsole(page, merchant, '/keys');
  const table = page.getByRole('table', { name: `API keys of ${shop.name}` });
  await expect(table.getByRole('cell', { name: 'Old key', exact: true })).toBeVisible();
  // The URL holds the choice: the box follows once the URL changed.
  const hide = page.getByRole('checkbox', { name: 'Hide revoked keys (1)' });
  await hide.click();
  await expect(page).toHaveURL(/revoked=hide/);
  await expect(hide).toBeChecked();
  await expect(table.getByRole('cell', { name: 'Old key', exact: true })).toBeHidden();
  await expect(table.getByRole('cell', { name: 'Live key', exact: true })).toBeVisible();

  await page.goto('/keys?revoked=hide');
  await expect(page.getByRole('checkbox', { name: 'Hide revoked keys (1)' })).toBeChecked();
  await expect(table.getByRole('cell', { name: 'Live key', exact: true })).toBeVisible();
  await expect(table.getByRole('cell', { name: 'Old key', exact: true })).toBeHidden();
});
