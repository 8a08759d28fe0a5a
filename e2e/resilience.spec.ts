// Failures are shown as sentences, never as a blank page.
import { expect, openConsole, test } from './fixtures.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

test.describe('signed out', () => {
  test.use({ signedInAs: undefined });

  test('an account FlowPOS does not know gets a clear "no access" page and can sign out', async ({
    page,
    factory,
  }) => {
    const stranger = await factory.strangerAccount();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(stranger.email);
    await page.getByLabel('Password').fill(stranger.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
    await expect(page.getByText('This account has no access to FlowPOS')).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });
});

test('a member without an active membership sees an empty state', async ({
  page,
  me: former,
  factory,
}) => {
  await factory.business('Closed Shop', { member: former, isActive: false });
  await openConsole(page, former);
  await expect(page.getByText('No business yet')).toBeVisible();
});

test('backend failures show readable messages with a retry', async ({
  page,
  me: merchant,
  factory,
}) => {
  await factory.business('Flaky Diner', { member: merchant });
  await openConsole(page, merchant);

  // The backend is down: the proxy answers with a plain-text 502.
  await page.route('**/trpc/keys.list**', (route) =>
    route.fulfill({ status: 502, contentType: 'text/plain', body: 'Bad Gateway' }),
  );
  await page.reload();
  const alert = page.getByRole('alert').filter({ hasText: 'Cannot load the keys.' });
  await expect(alert).toBeVisible();
  await expect(alert).not.toContainText('Unexpected token');
  await page.unroute('**/trpc/keys.list**');
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByText('No API keys yet')).toBeVisible();
  // The key options were in the same batched request: they failed too, and recover the same way.
  const options = page.getByRole('alert').filter({ hasText: 'Cannot load the key options.' });
  if (await options.isVisible()) await options.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('button', { name: 'Create key' })).toBeEnabled();

  // A server-side validation error reaches the form as a sentence next to its field.
  await page.route('**/trpc/keys.create**', (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify([
        {
          error: {
            json: {
              message: 'Name is required',
              code: -32600,
              data: {
                code: 'BAD_REQUEST',
                httpStatus: 400,
                path: 'keys.create',
                issues: [{ path: 'name', message: 'Name is taken' }],
              },
            },
          },
        },
      ]),
    }),
  );
  await page.getByRole('button', { name: 'Create key' }).click();
  const form = page.getByRole('dialog', { name: 'Create API key' });
  await form.getByLabel('Name').fill('Duplicate');
  await form.getByRole('button', { name: 'Create key' }).click();
  await expect(form.getByText('Name is taken')).toBeVisible();
});
