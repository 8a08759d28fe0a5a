// Tool policies in the console, end to end: a merchant creates a read-only key
// and a real MCP client gets only read-only tools; on the key's page they
// narrow it to two tools and the client's list follows; the tools preview
// shows that exact list. On OAuth consent the person unticks tools (unticking
// every one is refused) and the connector gets only the ticked ones.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { READ_ONLY_TOOLS } from '../apps/backend/harness/tool-lists.ts';
import { expect, openConsole, test } from './fixtures.ts';
import { MCP_URL } from './support/env.ts';
import { LoopbackRedirect, TestOAuthProvider } from './support/oauth-client.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

test('a key created read-only gets read-only tools; its page narrows it to chosen tools', async ({
  page,
  me: merchant,
  factory,
  mcp,
}) => {
  await factory.business('Policy Cafe', { member: merchant });
  await openConsole(page, merchant);

  await page.getByRole('button', { name: 'Create key' }).click();
  const form = page.getByRole('dialog', { name: 'Create API key' });
  await form.getByLabel('Name').fill('Read-only bot');
  await form.getByRole('checkbox', { name: /pos:intents/ }).check();
  await form.getByRole('radio', { name: 'Read-only tools' }).check();
  await form.getByRole('button', { name: 'Create key' }).click();
  const secretDialog = page.getByRole('dialog', { name: 'Copy your new API key' });
  const secret = await secretDialog.getByLabel('API key secret').inputValue();
  await secretDialog.getByRole('button', { name: 'I have saved the key' }).click();

  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: 'Read-only bot', exact: true }) });
  await expect(row).toContainText('Read-only');
  const client = await mcp(secret, 'e2e-policy-client');
  expect(await client.toolNames()).toEqual(READ_ONLY_TOOLS);

  // The key's page: only two tools.
  await row.getByRole('link', { name: 'Read-only bot' }).click();
  await expect(page.getByRole('heading', { name: 'Read-only bot' })).toBeVisible();
  const section = page.getByRole('form', { name: 'Tool policy' });
  await section.getByRole('radio', { name: 'Only the tools chosen' }).check();
  await section.getByRole('checkbox', { name: /^whoami/ }).check();
  await section.getByRole('checkbox', { name: /^list_products/ }).check();
  await section.getByRole('button', { name: 'Save tool policy' }).click();
  await expect(page.getByRole('status')).toContainText('Tool policy saved');
  await expect(page.getByTestId('tool-policy-summary')).toContainText('2 chosen');
  // The open session follows (tools/list_changed), and a new one starts narrowed.
  await expect.poll(() => client.toolNames()).toEqual(['list_products', 'whoami']);
  expect(await (await mcp(secret)).toolNames()).toEqual(['list_products', 'whoami']);

  // The tools preview shows exactly that list for this key.
  await page.getByRole('link', { name: 'See the exact tools/list it gets' }).click();
  await expect(page.getByRole('heading', { name: 'Visible tools (2)' })).toBeVisible();
});

test.describe('signed out', () => {
  test.use({ signedInAs: undefined });

  test('on consent the person unticks tools: the connector gets only the ticked ones', async ({
    page,
    factory,
  }) => {
    const business = await factory.business('Consent Policy Deli');
    const user = await factory.user({
      label: 'consent-policy',
      memberships: [{ business, role: 'merchant' }],
    });
    const redirect = await new LoopbackRedirect().listen();
    try {
      const provider = new TestOAuthProvider(redirect.url);
      const first = new StreamableHTTPClientTransport(new URL(MCP_URL), { authProvider: provider });
      await expect(
        new Client({ name: 'e2e-policy-oauth', version: '1.0.0' }).connect(first),
      ).rejects.toThrow(UnauthorizedError);

      await page.goto(String(provider.authorizationUrl));
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const tools = page.getByRole('group', { name: 'Tools it may use' });
      await expect(tools.getByRole('checkbox', { name: /^create_sale_intent/ })).toBeChecked();
      // Unticking every tool is refused, with a message saying what to do.
      for (const box of await tools.getByRole('checkbox').all()) await box.uncheck();
      await expect(
        page.getByText('Leave at least one tool ticked, or deny access to this app'),
      ).toBeVisible();
      await expect(page.getByRole('button', { name: 'Allow' })).toBeDisabled();
      await tools.getByRole('checkbox', { name: /^whoami/ }).check();
      await tools.getByRole('checkbox', { name: /^list_products/ }).check();
      await page.getByRole('button', { name: 'Allow' }).click();
      const callback = await redirect.callback;
      await first.finishAuth(callback.code as string);

      const client = new Client({ name: 'e2e-policy-oauth', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(MCP_URL), { authProvider: provider }),
      );
      const names = (await client.listTools()).tools.map((t) => t.name).sort();
      expect(names).toEqual(['list_products', 'whoami']);
      // Outside the policy: unknown, as a tool that does not exist (SDK 1 shows the error as a result).
      const outside = await client.callTool({ name: 'list_orders', arguments: {} }).then(
        (r) => JSON.stringify(r),
        (error: Error) => error.message,
      );
      expect(outside).toContain('Tool list_orders not found');
      await client.close();

      // The app's page says so, and its preview shows the same list.
      await page.goto('/connected-apps');
      // Grouped by app: the app's section lists each person's connection, linked to its page.
      await page
        .getByRole('region', { name: 'E2E Connector' })
        .getByRole('link', { name: user.email })
        .click();
      await expect(page.getByTestId('tool-policy-summary')).toContainText('2 chosen');
      await page.getByRole('link', { name: 'See the exact tools/list it gets' }).click();
      await expect(page.getByRole('heading', { name: 'Visible tools (2)' })).toBeVisible();
    } finally {
      redirect.close();
    }
  });
});
