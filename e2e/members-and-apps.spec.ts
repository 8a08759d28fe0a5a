// Item 7 in Chromium: a merchant invites a member by e-mail and changes a
// role (the last merchant cannot be demoted); connected apps are grouped by
// app with each registered client's redirect host, searchable.
import { randomUUID } from 'node:crypto';
import { expect, openConsole, test } from './fixtures.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

test('a merchant invites a member, changes roles, and finds apps by app', async ({
  page,
  me: owner,
  factory,
  database,
}) => {
  test.setTimeout(300_000);
  const shop = await factory.business('Team Tavern', { member: owner });
  const invitee = `invited-${randomUUID().slice(0, 8)}@e2e.flowpos.test`;

  await openConsole(page, owner, '/members');
  const form = page.getByRole('form', { name: 'Invite a member' });
  await form.getByLabel('E-mail').fill(invitee);
  await form.getByLabel('Role').selectOption({ label: 'Tenant developer' });
  await form.getByRole('button', { name: 'Invite' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `${invitee} is now a tenant developer` }),
  ).toBeVisible({ timeout: 60_000 });
  const row = page.getByRole('row').filter({ hasText: invitee });
  await expect(row.getByLabel(`Role of ${invitee}`)).toHaveValue('tenant_developer');

  // The owner is the only merchant: demoting them is refused, in the server's words.
  await page.getByLabel(`Role of ${owner.email}`).selectOption('tenant_developer');
  await expect(
    page.getByRole('alert').filter({ hasText: 'A business needs at least one merchant' }),
  ).toBeVisible();
  // Promote the invitee; then the owner may step down.
  await row.getByLabel(`Role of ${invitee}`).selectOption('merchant');
  await expect(
    page.getByRole('status').filter({ hasText: `${invitee} is now merchant` }),
  ).toBeVisible({ timeout: 60_000 });
  const membership = await database.prisma.businessUser.findFirstOrThrow({
    where: { businessId: shop.id, user: { email: invitee } },
  });
  expect(membership).toMatchObject({ role: 'merchant', isActive: true });

  // Two apps, one registered with its redirect host, one by metadata document.
  const tag = randomUUID().slice(0, 6);
  const registered = `e2e-${tag}-registered`;
  await database.prisma.oAuthRecord.create({
    data: {
      kind: 'Client',
      id: registered,
      payload: { client_id: registered, redirect_uris: ['https://till.example/callback'] },
    },
  });
  for (const [clientId, clientName] of [
    [registered, `Till helper ${tag}`],
    [`https://docs.example/${tag}.json`, `Docs agent ${tag}`],
  ] as const) {
    await database.prisma.oAuthGrant.create({
      data: {
        id: randomUUID(),
        clientId,
        clientName,
        userId: owner.id,
        businessId: shop.id,
        scopes: ['pos:read'],
      },
    });
  }
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Connected apps' })
    .click();
  await page.getByLabel('Search apps').fill(tag);
  const till = page.getByRole('region', { name: `Till helper ${tag}` });
  await expect(till).toContainText('Registered client');
  await expect(till).toContainText('till.example');
  await expect(page.getByRole('region', { name: `Docs agent ${tag}` })).toContainText(
    'docs.example',
  );
  await page.getByLabel('Search apps').fill(`Till helper ${tag}`);
  await expect(page.getByRole('region', { name: `Docs agent ${tag}` })).toHaveCount(0);
  await expect(till).toBeVisible();
});
