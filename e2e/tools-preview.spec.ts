// The tools preview must show exactly what a real MCP session of the same
// principal lists, for each of the three roles, with a reason for every
// hidden tool.
import type { Page } from '@playwright/test';
import { expect, openConsole, test } from './fixtures.ts';
import { exchangeToken } from './support/mcp.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

function visibleTools(page: Page) {
  return page.getByRole('list', { name: /^Visible tools/ }).locator('.tool-name');
}

async function previewedNames(page: Page): Promise<string[]> {
  return (await visibleTools(page).allInnerTexts()).sort();
}

/** Waits until the preview lists exactly `expected` (the preview refetches as the form changes). */
async function expectPreview(page: Page, expected: string[]) {
  await expect.poll(() => previewedNames(page)).toEqual([...expected].sort());
}

function hiddenTool(page: Page, name: string) {
  return page
    .getByRole('list', { name: /^Hidden tools/ })
    .getByRole('listitem')
    .filter({ has: page.locator('.tool-name', { hasText: new RegExp(`^${name}$`) }) });
}

test('merchant: key and custom previews match the MCP session', async ({
  page,
  me: merchant,
  factory,
  mcp,
}) => {
  const shop = await factory.business('Preview Pantry', { member: merchant });
  const full = await factory.apiKey(merchant, {
    business: shop,
    scopes: ['pos:read', 'pos:intents', 'sessions:read'],
    name: 'Full merchant',
  });
  const reader = await factory.apiKey(merchant, {
    business: shop,
    scopes: ['pos:read'],
    name: 'Reader',
  });
  const fullTools = await (await mcp(full.key)).toolNames();
  const readerTools = await (await mcp(reader.key)).toolNames();

  await openConsole(page, merchant, '/tools');
  await page.getByRole('radio', { name: 'Existing key' }).check();
  await page.getByLabel(/API key of/).selectOption({ label: `Full merchant (${full.prefix}…)` });
  await expectPreview(page, fullTools);
  await expect(page.locator('.tool-description').first()).not.toBeEmpty();
  await visibleTools(page).first().locator('xpath=ancestor::li').getByText('Input schema').click();
  await expect(page.locator('.tool pre').first()).toContainText('"type": "object"');
  await expect(hiddenTool(page, 'set_active_business')).toContainText('needs 2+ businesses');
  await expect(hiddenTool(page, 'list_sessions')).toContainText('only for platform_operator');

  await page.getByLabel(/API key of/).selectOption({ label: `Reader (${reader.prefix}…)` });
  await expectPreview(page, readerTools);
  await expect(hiddenTool(page, 'create_sale_intent')).toContainText('needs pos:intents');

  // The same principal described by hand.
  await page.getByRole('radio', { name: 'Role and scopes' }).check();
  await page.getByLabel('Role', { exact: true }).selectOption('merchant');
  for (const scope of ['pos:read', 'pos:intents', 'sessions:read'])
    await page.getByRole('checkbox', { name: new RegExp(scope) }).check();
  await page.getByLabel('Authorized businesses').fill('1');
  await expectPreview(page, fullTools);
  await page.getByLabel('Authorized businesses').fill('2');
  await expectPreview(page, [...fullTools, 'set_active_business']);
});

test.describe('as a tenant developer', () => {
  test.use({ signedInAs: 'tenant_developer' });

  test('tenant developer: key preview matches the MCP session, and intent tools are never shown', async ({
    page,
    me: dev,
    factory,
    mcp,
  }) => {
    const shop = await factory.business('Preview Labs', { member: dev });
    const key = await factory.apiKey(dev, {
      business: shop,
      scopes: ['pos:read', 'sessions:read'],
      name: 'Dev key',
    });
    const tools = await (await mcp(key.key)).toolNames();
    expect(tools.some((n) => n.includes('intent'))).toBe(false);

    await openConsole(page, dev, '/tools');
    // A tenant developer previews their business's keys only.
    await expect(page.getByRole('radio', { name: 'Role and scopes' })).toHaveCount(0);
    await expect(page.getByRole('radio', { name: 'User' })).toHaveCount(0);
    await expect(page.getByRole('radio', { name: 'Existing key' })).toBeChecked();
    await page.getByLabel(/API key of/).selectOption({ label: `Dev key (${key.prefix}…)` });
    await expectPreview(page, tools);
    await expect(hiddenTool(page, 'create_sale_intent')).toContainText(
      'never shown to tenant_developer',
    );
    await expect(hiddenTool(page, 'end_session')).toContainText('only for platform_operator');
  });
});

test.describe('as a platform operator', () => {
  test.use({ signedInAs: 'platform_operator' });

  test('platform operator: key, custom and user previews match the MCP sessions', async ({
    page,
    me: operator,
    factory,
    mcp,
  }) => {
    const first = await factory.business('Preview Central');
    const second = await factory.business('Preview Harbour');
    const owner = await factory.user({
      label: 'owner',
      memberships: [
        { business: first, role: 'merchant' },
        { business: second, role: 'merchant' },
      ],
    });
    const key = await factory.apiKey(operator, {
      business: first,
      role: 'platform_operator',
      scopes: ['pos:read', 'pos:intents', 'sessions:read', 'operator'],
      name: 'Operator key',
    });
    const keyTools = await (await mcp(key.key)).toolNames();
    expect(keyTools).toContain('list_sessions');
    const ownerTools = await (await mcp(await exchangeToken(await owner.idToken()))).toolNames();
    expect(ownerTools).toContain('set_active_business');

    await openConsole(page, operator, '/tools');
    const switcher = page.getByRole('banner').getByLabel('Business');
    await switcher.selectOption({ label: first.name });

    await page.getByRole('radio', { name: 'Existing key' }).check();
    await page.getByLabel(/API key of/).selectOption({ label: `Operator key (${key.prefix}…)` });
    await expectPreview(page, keyTools);

    await page.getByRole('radio', { name: 'Role and scopes' }).check();
    await page.getByLabel('Role', { exact: true }).selectOption('platform_operator');
    for (const scope of ['pos:read', 'pos:intents', 'sessions:read', 'operator']) {
      await page.getByRole('checkbox', { name: new RegExp(`^${scope}`) }).check();
    }
    await page.getByLabel('Authorized businesses').fill('1');
    await expectPreview(page, keyTools);

    // A user's V2 token: every active membership counts.
    await page.getByRole('radio', { name: 'User' }).check();
    await page.getByLabel(/Member of/).selectOption({ label: `${owner.email} (Merchant)` });
    await expectPreview(page, ownerTools);
    await expect(hiddenTool(page, 'list_businesses')).toContainText('only for platform_operator');
  });
});
