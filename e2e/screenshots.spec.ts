// Screenshots of every page at desktop (1280×800) and phone (390×844) sizes,
// with realistic data, for people to review: test-results/screenshots/.
import type { Page } from '@playwright/test';
import { expect, openConsole, signIn, snap, test } from './fixtures.ts';
import { exchangeToken } from './support/mcp.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

async function settle(page: Page) {
  await expect(page.getByRole('status').filter({ hasText: /Loading|Computing/ })).toHaveCount(0);
}

test('every page at both sizes', async ({ page, me: owner, factory, mcp, browser, baseURL }) => {
  test.setTimeout(180_000);
  const bar = await factory.business('Blue Bottle Bar', { member: owner });
  await factory.business('Corner Bakery', { member: owner });
  const dev = await factory.user({
    label: 'dev',
    memberships: [{ business: bar, role: 'tenant_developer' }],
  });
  await factory.user({
    label: 'former',
    memberships: [{ business: bar, role: 'merchant', isActive: false }],
  });
  const operator = await factory.user({ label: 'operator', operator: true });

  const claude = await factory.apiKey(owner, {
    business: bar,
    scopes: ['pos:read', 'pos:intents', 'sessions:read'],
    name: 'Claude Desktop',
  });
  await factory.apiKey(dev, { business: bar, scopes: ['pos:read'], name: 'Staging integration' });
  await factory.apiKey(owner, {
    business: bar,
    scopes: ['pos:read'],
    role: 'tenant_developer',
    name: 'Old reporting job',
  });
  await factory.saleIntent(bar, { note: 'Two lattes for table 4', totalCents: 900 });
  await factory.saleIntent(bar, { note: 'Catering order for Friday', totalCents: 18_450 });
  await mcp(claude.key, 'claude-ai');
  await mcp(await exchangeToken(await owner.idToken()), 'cursor');

  // The sign-in page as a signed-out visitor sees it (this test's page is signed in).
  // (Contexts made in a test take its options: an empty state signs nobody in.)
  const signedOut = await browser.newPage({ baseURL, storageState: { cookies: [], origins: [] } });
  for (const size of SIZES) {
    await signedOut.setViewportSize(size);
    await signedOut.goto('/sign-in');
    await expect(signedOut.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await snap(signedOut, 'sign-in');
  }
  await signedOut.close();

  await page.setViewportSize(SIZES[0]!);
  await openConsole(page, owner);
  await page.getByRole('banner').getByLabel('Business').selectOption({ label: bar.name });

  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const [path, name, heading] of [
      ['/keys', 'keys', 'API keys'],
      ['/sessions', 'sessions', 'Sessions'],
      ['/tools', 'tools-preview', 'Tools preview'],
      ['/intents', 'intents', 'Intents'],
      ['/audit', 'audit', 'Audit'],
      ['/members', 'members', 'Members'],
      ['/settings', 'settings', 'Settings'],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
      await settle(page);
      if (name === 'tools-preview')
        await expect(page.getByRole('list', { name: /^Visible tools/ })).toBeVisible();
      if (name === 'sessions') await expect(page.getByText('claude-ai')).toBeVisible();
      await snap(page, name);
    }

    await page.goto('/keys');
    await page.getByRole('button', { name: 'Create key' }).click();
    const form = page.getByRole('dialog', { name: 'Create API key' });
    await form.getByRole('button', { name: 'Create key' }).click();
    await expect(form.getByText('Give the key a name')).toBeVisible();
    await snap(page, 'keys-create-dialog', { fullPage: false });
    await form.getByLabel('Name').fill(`Screenshot key ${size.width}`);
    await form.getByRole('button', { name: 'Create key' }).click();
    await expect(page.getByRole('dialog', { name: 'Copy your new API key' })).toBeVisible();
    await snap(page, 'keys-secret-dialog', { fullPage: false });
    await page.getByRole('button', { name: 'I have saved the key' }).click();
    await page.getByRole('button', { name: `Revoke Screenshot key ${size.width}` }).click();
    await expect(page.getByRole('dialog', { name: 'Revoke this key?' })).toBeVisible();
    await snap(page, 'keys-revoke-dialog', { fullPage: false });
    await page
      .getByRole('dialog', { name: 'Revoke this key?' })
      .getByRole('button', { name: 'Revoke key' })
      .click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
  }

  await page.setViewportSize(SIZES[0]!);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, operator, '/sessions');
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.goto('/sessions');
    await expect(page.getByText('claude-ai')).toBeVisible();
    await snap(page, 'operator-sessions');
    await page.goto('/tools');
    await page.getByRole('radio', { name: 'User' }).check();
    await expect(page.getByRole('list', { name: /^Visible tools/ })).toBeVisible();
    await settle(page);
    await snap(page, 'operator-tools-preview-user');
  }
});
