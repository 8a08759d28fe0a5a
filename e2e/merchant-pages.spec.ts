// Intents, members and audit: what a merchant decides and reads in the console.
import { expect, openConsole, test } from './fixtures.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

test('a merchant approves and rejects pending intents', async ({
  page,
  me: merchant,
  factory,
  database,
}) => {
  const shop = await factory.business('Intent Grocer', { member: merchant });
  const approveMe = await factory.saleIntent(shop, {
    note: 'Two lattes for table 4',
    totalCents: 900,
  });
  const rejectMe = await factory.saleIntent(shop, {
    note: 'Suspicious bulk order',
    totalCents: 99_900,
  });

  await openConsole(page, merchant, '/intents');
  await expect(page.getByLabel('Status')).toHaveValue('pending');
  const approveRow = page.getByRole('row').filter({ hasText: 'Two lattes for table 4' });
  await expect(approveRow).toContainText('$9.00');
  await approveRow.getByRole('button', { name: `Approve intent ${approveMe.id}` }).click();
  await page
    .getByRole('dialog', { name: 'Approve this sale?' })
    .getByRole('button', { name: 'Approve sale' })
    .click();
  await expect(page.getByRole('status').filter({ hasText: 'approved' })).toBeVisible();
  await expect(approveRow).toBeHidden();

  const rejectRow = page.getByRole('row').filter({ hasText: 'Suspicious bulk order' });
  await rejectRow.getByRole('button', { name: `Reject intent ${rejectMe.id}` }).click();
  await page
    .getByRole('dialog', { name: 'Reject this intent?' })
    .getByRole('button', { name: 'Reject intent' })
    .click();
  await expect(rejectRow).toBeHidden();
  await expect(page.getByText('Nothing waiting for you')).toBeVisible();

  await page.getByLabel('Status').selectOption('');
  await expect(page.getByRole('row').filter({ hasText: 'Two lattes for table 4' })).toContainText(
    'approved',
  );
  await expect(page.getByRole('row').filter({ hasText: 'Suspicious bulk order' })).toContainText(
    'rejected',
  );
  const stored = await database.prisma.intent.findUniqueOrThrow({ where: { id: approveMe.id } });
  expect(stored.status).toBe('approved');
  expect(stored.orderId).not.toBeNull();
});

test('a merchant deactivates and reactivates a member', async ({
  page,
  me: merchant,
  factory,
  database,
}) => {
  const shop = await factory.business('Member Market', { member: merchant });
  const dev = await factory.user({
    label: 'dev',
    memberships: [{ business: shop, role: 'tenant_developer' }],
  });

  await openConsole(page, merchant, '/members');
  const self = page.getByRole('row').filter({ hasText: merchant.email });
  await expect(self).toContainText('you');
  await expect(self.getByRole('button')).toHaveCount(0);

  const row = page.getByRole('row').filter({ hasText: dev.email });
  await expect(row).toContainText('Tenant developer');
  // A merchant signs a member out of this business only; everywhere is the person's or an operator's.
  await expect(
    row.getByRole('button', { name: `Sign out ${dev.email} of ${shop.name}` }),
  ).toBeVisible();
  await expect(row.getByRole('button', { name: `Sign out ${dev.email} everywhere` })).toHaveCount(
    0,
  );
  await row.getByRole('button', { name: `Deactivate ${dev.email}` }).click();
  await page
    .getByRole('dialog', { name: 'Deactivate this member?' })
    .getByRole('button', { name: 'Deactivate' })
    .click();
  await expect(row).toContainText('inactive');
  const membership = () =>
    database.prisma.businessUser.findFirstOrThrow({
      where: { businessId: shop.id, userId: dev.id },
    });
  expect((await membership()).isActive).toBe(false);

  await row.getByRole('button', { name: `Activate ${dev.email}` }).click();
  await page
    .getByRole('dialog', { name: 'Activate this member?' })
    .getByRole('button', { name: 'Activate' })
    .click();
  await expect(row.getByRole('button', { name: `Deactivate ${dev.email}` })).toBeVisible();
  expect((await membership()).isActive).toBe(true);
});

test('the audit trail is newest first and pages with "Load more"', async ({
  page,
  me: merchant,
  factory,
  database,
}) => {
  const shop = await factory.business('Audit Arcade', { member: merchant });
  const start = Date.now() - 60 * 60_000;
  await database.prisma.auditEvent.createMany({
    data: Array.from({ length: 30 }, (_, i) => ({
      businessId: shop.id,
      action: `e2e.event_${String(i).padStart(2, '0')}`,
      outcome: 'success',
      actorKind: 'system',
      createdAt: new Date(start + i * 60_000),
    })),
  });

  await openConsole(page, merchant, '/audit');
  const rows = page.getByRole('table', { name: 'Audit events' }).getByRole('row');
  await expect(rows).toHaveCount(26); // header + the first page of 25
  await expect(rows.nth(1)).toContainText('e2e.event_29');
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(rows).toHaveCount(31);
  await expect(rows.last()).toContainText('e2e.event_00');
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
  await expect(page.getByText('30 events · the beginning of the trail')).toBeVisible();
});
