// API keys end to end: created in the console, used by a real MCP client,
// revoked in the console and refused on the client's next call.
import { expect, openConsole, test } from './fixtures.ts';
import { connectMcp } from './support/mcp.ts';
import { trpcClient } from './support/trpc.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

test('a merchant creates a key, an MCP client uses it, and revoking it refuses the next call', async ({
  page,
  me: merchant,
  factory,
  mcp,
}) => {
  await factory.business('Key Cafe', { member: merchant });
  await openConsole(page, merchant);

  await page.getByRole('button', { name: 'Create key' }).click();
  const form = page.getByRole('dialog', { name: 'Create API key' });
  // Inline validation before anything is sent.
  await form.getByRole('checkbox', { name: /pos:read/ }).uncheck();
  await form.getByRole('button', { name: 'Create key' }).click();
  await expect(form.getByText('Give the key a name')).toBeVisible();
  await expect(form.getByText('Choose at least one scope.')).toBeVisible();

  await form.getByLabel('Name').fill('Claude on the till');
  await expect(form.getByLabel('Role')).toHaveValue('merchant');
  await form.getByRole('checkbox', { name: /pos:read/ }).check();
  await form.getByRole('checkbox', { name: /pos:intents/ }).check();
  await form.getByRole('button', { name: 'Create key' }).click();

  const secretDialog = page.getByRole('dialog', { name: 'Copy your new API key' });
  await expect(secretDialog.getByText('This is the only time the full key is shown')).toBeVisible();
  await expect(secretDialog.getByRole('button', { name: 'Copy' })).toBeVisible();
  const secret = await secretDialog.getByLabel('API key secret').inputValue();
  expect(secret).toMatch(/^fp_mcp_[0-9a-f]{56}$/);
  await secretDialog.getByRole('button', { name: 'I have saved the key' }).click();
  await expect(secretDialog).toBeHidden();

  // The table shows the prefix only, never the secret.
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: 'Claude on the till', exact: true }) });
  await expect(row.getByRole('cell').nth(1)).toHaveText(`${secret.slice(0, 11)}…`);
  await expect(row).toContainText('active');
  await expect(page.getByText(secret)).toHaveCount(0);

  // A real MCP client lists the tools this key allows.
  const client = await mcp(secret, 'e2e-key-client');
  const names = await client.toolNames();
  expect(names.length).toBeGreaterThan(0);
  expect(names.some((n) => n.includes('intent'))).toBe(true);

  await page.reload();
  await expect(row.getByRole('cell').nth(6)).not.toHaveText('Never');

  // Revoke, with a confirmation.
  await row.getByRole('button', { name: 'Revoke Claude on the till' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke this key?' });
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText('revoked');
  await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);

  // The open session is refused, and so is a new one.
  await expect(client.client.listTools()).rejects.toThrow();
  await expect(connectMcp(secret)).rejects.toThrow(/401|Authentication required/);
});

test('a merchant edits the scopes of a key and the MCP tool list follows', async ({
  page,
  me: merchant,
  factory,
  mcp,
}) => {
  const shop = await factory.business('Scope Deli', { member: merchant });
  const key = await factory.apiKey(merchant, {
    business: shop,
    scopes: ['pos:read'],
    name: 'Reader',
  });
  const before = await (await mcp(key.key)).toolNames();
  expect(before.some((n) => n.includes('intent'))).toBe(false);

  await openConsole(page, merchant);
  await page.getByRole('button', { name: 'Edit scopes of Reader' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit scopes of Reader' });
  await dialog.getByRole('checkbox', { name: /pos:intents/ }).check();
  await dialog.getByRole('button', { name: 'Save scopes' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: 'Reader' })).toContainText('pos:intents');

  const after = await (await mcp(key.key)).toolNames();
  expect(after.some((n) => n.includes('intent'))).toBe(true);
});

test.describe('as a tenant developer', () => {
  test.use({ signedInAs: 'tenant_developer' });

  test('a tenant developer is never offered pos:intents, and a direct call for it is refused', async ({
    page,
    me: dev,
    factory,
    request,
    database,
  }) => {
    const shop = await factory.business('Dev Kitchen', { member: dev });
    await openConsole(page, dev);

    await page.getByRole('button', { name: 'Create key' }).click();
    const form = page.getByRole('dialog', { name: 'Create API key' });
    await expect(form.getByRole('checkbox', { name: /pos:read/ })).toBeVisible();
    await expect(form.getByRole('checkbox', { name: /sessions:read/ })).toBeVisible();
    await expect(form.getByRole('checkbox', { name: /pos:intents/ })).toHaveCount(0);
    await expect(form.getByRole('checkbox', { name: /operator/ })).toHaveCount(0);
    await expect(form.getByLabel('Role')).toHaveCount(0);
    await expect(form.getByText('Tenant developer')).toBeVisible();
    await form.getByRole('button', { name: 'Cancel' }).click();

    const api = trpcClient(request, await dev.idToken());
    const refused = await api.mutation('keys.create', {
      businessId: shop.id,
      name: 'sneaky',
      scopes: ['pos:read', 'pos:intents'],
    });
    expect(refused.status).toBe(403);
    expect(refused.error?.message).toMatch(/pos:intents/);
    const asMerchant = await api.mutation('keys.create', {
      businessId: shop.id,
      name: 'sneaky 2',
      scopes: ['pos:read'],
      role: 'merchant',
    });
    expect(asMerchant.status).toBe(403);
    expect(await database.prisma.apiKey.count({ where: { businessId: shop.id } })).toBe(0);
  });
});

test("a merchant's direct tRPC call for another business's keys is refused", async ({
  factory,
  request,
}) => {
  const { mine, theirs, merchant, other } = await factory.rivalMerchants();
  await factory.apiKey(other, { business: theirs, scopes: ['pos:read'], name: 'Their key' });

  const api = trpcClient(request, await merchant.idToken());
  const own = await api.query<unknown[]>('keys.list', { businessId: mine.id });
  expect(own.status).toBe(200);

  const foreign = await api.query('keys.list', { businessId: theirs.id });
  expect(foreign.status).toBe(403);
  expect(foreign.error?.data?.code).toBe('FORBIDDEN');
  expect(JSON.stringify(foreign.error)).not.toContain('Their key');

  const create = await api.mutation('keys.create', {
    businessId: theirs.id,
    name: 'intruder',
    scopes: ['pos:read'],
  });
  expect(create.status).toBe(403);

  const anonymous = await trpcClient(request, 'not-a-token').query('keys.list', {
    businessId: mine.id,
  });
  expect(anonymous.status).toBe(401);
});

test('a merchant rolls a key: it stays one key with its previous secret, which "expire the old secret now" stops', async ({
  page,
  me: merchant,
  factory,
  mcp,
}) => {
  const shop = await factory.business('Roll Bakery', { member: merchant });
  const old = await factory.apiKey(merchant, {
    business: shop,
    scopes: ['pos:read'],
    name: 'Till',
  });

  await openConsole(page, merchant);
  await page.getByRole('button', { name: 'Roll Till' }).click();
  const dialog = page.getByRole('dialog', { name: 'Roll this key?' });
  await dialog.getByLabel('Old secret keeps working for').selectOption('1h');
  await dialog.getByRole('button', { name: 'Roll key' }).click();
  const secret = page.getByRole('dialog', { name: 'Copy your new API key' });
  const fresh = await secret.getByLabel('API key secret').inputValue();
  expect(fresh).toMatch(/^fp_mcp_[0-9a-f]{56}$/);
  expect(fresh).not.toBe(old.key);
  await secret.getByRole('button', { name: 'I have saved the key' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'was rolled' })).toContainText(
    'the old secret works until',
  );
  // One key: the new secret, with the old one and the end of its overlap.
  const rows = page.getByRole('row').filter({ hasText: 'Till' });
  await expect(rows).toHaveCount(1);
  await expect(rows.getByRole('cell').nth(1)).toContainText(`${fresh.slice(0, 11)}…`);
  await expect(rows.getByRole('cell').nth(1)).toContainText(
    `previous secret ${old.key.slice(0, 11)}… works until`,
  );

  expect((await (await mcp(old.key)).toolNames()).length).toBeGreaterThan(0);
  expect((await (await mcp(fresh)).toolNames()).length).toBeGreaterThan(0);

  await rows.getByRole('button', { name: 'Expire the old secret of Till now' }).click();
  const confirm = page.getByRole('dialog', { name: 'Expire the old secret now?' });
  await confirm.getByRole('button', { name: 'Expire old secret' }).click();
  await expect(confirm).toBeHidden();
  await expect(rows.getByRole('cell').nth(1)).not.toContainText('previous secret');
  await expect(rows.getByRole('button', { name: /Expire the old secret/ })).toHaveCount(0);
  await expect(connectMcp(old.key)).rejects.toThrow(/401|Authentication required/);
  expect((await (await mcp(fresh)).toolNames()).length).toBeGreaterThan(0);
});

test('revoking a rolled key stops every secret it has', async ({
  page,
  me: merchant,
  factory,
  request,
}) => {
  const shop = await factory.business('Revoke Diner', { member: merchant });
  const old = await factory.apiKey(merchant, {
    business: shop,
    scopes: ['pos:read'],
    name: 'Kiosk',
  });
  const rolled = await trpcClient(request, await merchant.idToken()).mutation<{
    key: { key: string };
  }>('keys.rotate', { keyId: old.id, overlap: '7d' });
  expect(rolled.status).toBe(200);
  const fresh = rolled.data?.key.key ?? '';
  await (await connectMcp(old.key)).close();

  await openConsole(page, merchant);
  const row = page.getByRole('row').filter({ hasText: 'Kiosk' });
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: 'Revoke Kiosk' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke this key?' });
  await expect(confirm).toContainText(`So does its previous secret (${old.key.slice(0, 11)}…)`);
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText('revoked');

  await expect(connectMcp(fresh)).rejects.toThrow(/401|Authentication required/);
  await expect(connectMcp(old.key)).rejects.toThrow(/401|Authentication required/);
});
