// What a merchant reads in the console must be true and readable: what an
// approval did, who proposed or did what (names, not ids), the business's time
// zone, keys that have expired, the tools an operator would see, and the
// small things a user notices (favicon, long key names, filters).
import { expect, openConsole, test } from './fixtures.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

test('approving a partial refund says what happened; proposers and actors are people', async ({
  page,
  me: merchant,
  factory,
  database,
  mcp,
}) => {
  const shop = await factory.business('Refund Bistro', { member: merchant });
  const key = await factory.apiKey(merchant, {
    business: shop,
    scopes: ['pos:read', 'pos:intents'],
    name: 'Front till',
  });
  const { order } = await factory.order(shop, {
    sku: 'BOX',
    name: 'Gift box',
    priceCents: 5200,
    stock: 5,
  });
  const { client } = await mcp(key.key);
  const proposed = await client.callTool({
    name: 'create_refund_intent',
    arguments: { orderId: order.id, reason: 'dented box', amountCents: 100 },
  });
  const intent = JSON.parse((proposed.content as { text: string }[])[0]?.text ?? '{}');

  await openConsole(page, merchant, '/intents');
  const row = page.getByRole('row').filter({ hasText: 'dented box' });
  await expect(row.getByRole('cell', { name: 'key Front till' })).toHaveAttribute(
    'title',
    `key:${key.id}`,
  );
  await row.getByRole('button', { name: `Approve intent ${intent.id}` }).click();
  await page
    .getByRole('dialog', { name: 'Approve this refund?' })
    .getByRole('button', { name: 'Approve refund' })
    .click();
  await expect(page.getByRole('status')).toHaveText(
    `Refund of $1.00 on order ${order.id.slice(0, 8)}… approved.`,
  );
  const stored = await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
  expect(stored).toMatchObject({ status: 'partially_refunded', refundedCents: 100 });

  await page.getByRole('navigation').getByRole('link', { name: 'Audit' }).click();
  const approval = page.getByRole('row').filter({ hasText: 'intent.approved' });
  await expect(approval.getByRole('cell', { name: new RegExp(merchant.email) })).toHaveAttribute(
    'title',
    merchant.id,
  );
  await expect(page.getByRole('table', { name: 'Audit events' })).not.toContainText('user:');
});

test('the time zone and backorders are shown and editable by a merchant', async ({
  page,
  me: merchant,
  factory,
  database,
}) => {
  const shop = await factory.business('Zone Cafe', { member: merchant });
  await openConsole(page, merchant, '/settings');
  await expect(page.getByLabel('Time zone')).toHaveValue('UTC');
  await page.getByLabel('Time zone').selectOption('America/Los_Angeles');
  await page.getByRole('checkbox', { name: /Allow backorders/ }).check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Settings saved: dates now read in America/Los_Angeles.',
  );
  expect(
    await database.prisma.business.findUniqueOrThrow({ where: { id: shop.id } }),
  ).toMatchObject({ timeZone: 'America/Los_Angeles', allowBackorders: true });
  await page.reload();
  await expect(page.getByLabel('Time zone')).toHaveValue('America/Los_Angeles');
});

test('an expired key offers Roll, not "Edit scopes"; long key names show whole', async ({
  page,
  me: merchant,
  factory,
  database,
}) => {
  const shop = await factory.business('Expiry Deli', { member: merchant });
  const live = await factory.apiKey(merchant, { business: shop, scopes: ['pos:read'] });
  const longName = 'Back office reporting key for the accountant and the two outside auditors';
  const old = await factory.apiKey(merchant, {
    business: shop,
    scopes: ['pos:read'],
    name: longName,
  });
  // A 30-day key that expired a minute ago.
  await database.prisma.apiKey.update({
    where: { id: old.id },
    data: {
      createdAt: new Date(Date.now() - 30 * 86_400_000 - 60_000),
      expiresAt: new Date(Date.now() - 60_000),
    },
  });

  await openConsole(page, merchant, '/keys');
  const expiredRow = page.getByRole('row').filter({ hasText: longName });
  await expect(expiredRow).toContainText('expired');
  await expect(expiredRow.getByRole('button', { name: /Edit scopes/ })).toHaveCount(0);
  await expect(expiredRow.getByRole('button', { name: `Roll ${longName}` })).toBeVisible();
  await expect(
    page
      .getByRole('row')
      .filter({ hasText: live.name })
      .getByRole('button', { name: /Edit scopes/ }),
  ).toBeVisible();

  await page.getByRole('navigation').getByRole('link', { name: 'Tools preview' }).click();
  await page.getByRole('radio', { name: 'Existing key' }).check();
  await page.getByLabel(/API key of/).selectOption(old.id);
  const chosen = page.locator('#preview-key-chosen');
  await expect(chosen).toHaveText(longName);
  expect(await chosen.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

  // Roll the expired key: a new one with the same name replaces it.
  await page.getByRole('navigation').getByRole('link', { name: 'Keys' }).click();
  await page.getByRole('button', { name: `Roll ${longName}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Roll this key?' });
  await expect(dialog).toContainText('has expired');
  await dialog.getByRole('button', { name: 'Roll key' }).click();
  await expect(page.getByRole('dialog', { name: 'Copy your new API key' })).toBeVisible();
  await page.getByRole('button', { name: 'I have saved the key' }).click();
  await expect(page.getByRole('status')).toContainText('a new key replaces the expired one');
  // Still one key: its new secret, live for the same 30 days; the expired one is not offered as a previous secret.
  const rows = page.getByRole('row').filter({ hasText: longName });
  await expect(rows).toHaveCount(1);
  await expect(rows).not.toContainText('expired');
  await expect(rows).not.toContainText('previous secret');
  await expect(rows.getByRole('button', { name: `Roll ${longName}` })).toHaveCount(1);
});

test('a merchant previewing "platform operator" sees what an operator sees', async ({
  page,
  me: merchant,
  factory,
  mcp,
}) => {
  const shop = await factory.business('Preview Bar', { member: merchant });
  const operator = await factory.user({ label: 'operator', operator: true });
  const operatorKey = await factory.apiKey(operator, {
    business: shop,
    role: 'platform_operator',
    scopes: ['pos:read', 'pos:intents', 'sessions:read', 'operator'],
  });
  const operatorTools = await (await mcp(operatorKey.key)).toolNames();

  await openConsole(page, merchant, '/tools');
  await page.getByRole('radio', { name: 'Role and scopes' }).check();
  await page.getByLabel('Role', { exact: true }).selectOption('platform_operator');
  await expect(page.getByRole('checkbox', { name: /^operator/ })).toBeChecked();
  await expect
    .poll(async () =>
      (
        await page
          .getByRole('list', { name: /^Visible tools/ })
          .locator('.tool-name')
          .allInnerTexts()
      ).sort(),
    )
    .toEqual(operatorTools);
});

test('no 404 on a page (favicon); one business, no "All businesses" filter', async ({
  page,
  me: merchant,
  factory,
}) => {
  const shop = await factory.business('Single Shop', { member: merchant });
  const failed: string[] = [];
  page.on('response', (res) => {
    if (res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
  });
  await openConsole(page, merchant, '/sessions');
  await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute('href', /icon/);
  const filter = page.locator('#filter-business');
  await expect(filter).toHaveValue(shop.id);
  await expect(filter.getByRole('option', { name: 'All businesses' })).toHaveCount(0);
  const icon = await page.request.get(
    (await page.locator('link[rel="icon"]').first().getAttribute('href')) ?? '/favicon.ico',
  );
  expect(icon.status()).toBe(200);
  expect(failed).toEqual([]);
});
