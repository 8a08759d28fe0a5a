// Limits per credential in the console: a merchant sets a daily cap on a
// key's page, a real MCP client proposes a sale with that key, and the page
// shows the cap's use; the next proposal is refused with the cap named.
import { expect, openConsole, test } from './fixtures.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

test('a merchant sets a cap on a key page and sees its current use after a call', async ({
  page,
  me: merchant,
  factory,
  mcp,
}) => {
  // The dev console compiles the key page on its first visit: slow on a busy machine.
  test.slow();
  const { business: shop, key } = await factory.businessWithKey(merchant, 'Capped Cafe', {
    scopes: ['pos:read', 'pos:intents'],
    name: 'Till assistant',
  });
  const product = await factory.product(shop, {
    sku: 'MOCHA-1',
    name: 'Mocha',
    priceCents: 450,
    stock: 20,
  });
  await openConsole(page, merchant);

  await page.getByRole('link', { name: 'Till assistant' }).click();
  await page.waitForURL(`**/keys/${key.id}`, { timeout: 180_000 });
  const section = page.getByRole('region', { name: 'Limits and caps' });
  await expect(section.getByTestId('used-saleIntentsPerDay')).toHaveText('0', { timeout: 60_000 });
  await section.getByLabel('Sale intents per day').fill('1');
  await section.getByRole('button', { name: 'Save limits' }).click();
  await expect(page.getByText('Limits saved.')).toBeVisible();
  const usage = section.getByRole('table', { name: 'Today’s use of the daily caps' });
  await expect(usage.getByRole('row', { name: /Sale intents per day/ })).toContainText('1');

  const client = await mcp(key.key, 'e2e-capped-client');
  const propose = () =>
    client.client.callTool({
      name: 'create_sale_intent',
      arguments: { lines: [{ productId: product.id, quantity: 1 }] },
    });
  expect((await propose()).isError).toBeFalsy();

  await page.reload();
  await expect(section.getByTestId('used-saleIntentsPerDay')).toHaveText('1');

  const refused = await propose();
  expect(refused.isError).toBe(true);
  expect(JSON.stringify(refused.content)).toContain(
    'sale intents per day (saleIntentsPerDay) is 1',
  );
});
