// Signing in and out, the business switcher, and what signed-out visitors see.
import { expect, signIn, test } from './fixtures.ts';

test('a signed-out visitor only sees the sign-in page', async ({ page }) => {
  await page.goto('/keys');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fkeys/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
});

test('sign-in shows inline errors, then signs in and out', async ({ page, factory }) => {
  const shop = await factory.business('Auth Cafe');
  const merchant = await factory.user({
    label: 'merchant',
    memberships: [{ business: shop, role: 'merchant' }],
  });

  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Enter your email address.')).toBeVisible();
  await expect(page.getByText('Enter your password.')).toBeVisible();

  await page.getByLabel('Email').fill(merchant.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong' })).toHaveText(
    'Wrong email or password.',
  );

  await page.getByLabel('Password').fill(merchant.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/keys$/);
  await expect(page.getByText(merchant.email)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  for (const item of ['Keys', 'Sessions', 'Tools preview', 'Intents', 'Audit', 'Members']) {
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: item }),
    ).toBeVisible();
  }

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/sessions');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsessions/);
});

test('the business switcher lists every membership and its choice survives a reload', async ({
  page,
  factory,
}) => {
  const first = await factory.business('Alpha Bakery');
  const second = await factory.business('Beta Bar');
  const owner = await factory.user({
    label: 'owner',
    memberships: [
      { business: first, role: 'merchant' },
      { business: second, role: 'merchant' },
    ],
  });
  await factory.apiKey(owner, { business: second, scopes: ['pos:read'], name: 'Beta only key' });

  await signIn(page, owner);
  const switcher = page.getByLabel('Business');
  await expect(switcher.getByRole('option')).toHaveText([first.name, second.name]);
  await expect(switcher).toHaveValue(first.id);
  await expect(page.getByText('No API keys yet')).toBeVisible();

  await switcher.selectOption({ label: second.name });
  await expect(page.getByRole('cell', { name: 'Beta only key', exact: true })).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('Business')).toHaveValue(second.id);
  await expect(page.getByRole('cell', { name: 'Beta only key', exact: true })).toBeVisible();
});

test('a tenant developer does not get merchant pages', async ({ page, factory }) => {
  const shop = await factory.business('Dev Shop');
  const dev = await factory.user({
    label: 'dev',
    memberships: [{ business: shop, role: 'tenant_developer' }],
  });
  await signIn(page, dev);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Keys' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Tools preview' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Intents' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Members' })).toHaveCount(0);
  await page.goto('/members');
  await expect(
    page.getByText('Only a merchant of this business can manage members.'),
  ).toBeVisible();
});
