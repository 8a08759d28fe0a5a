// The audit page's filters (kept in the URL), its one stated time zone, and
// its download: the filtered range as CSV and JSON Lines, saved by Chromium.
import { readFile } from 'node:fs/promises';
import { expect, openConsole, test } from './fixtures.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

test('a merchant filters the audit trail, the URL keeps the filters, and the download is the filtered range', async ({
  page,
  me: merchant,
  factory,
  database,
}) => {
  // Two downloads and a reload of the dev console on a shared machine.
  test.setTimeout(180_000);
  const shop = await factory.business('Audit Export Deli', { member: merchant });
  await database.prisma.business.update({
    where: { id: shop.id },
    data: { timeZone: 'Asia/Tokyo' },
  });
  await database.prisma.auditEvent.createMany({
    data: [
      // 23:30 UTC on 1 March is 08:30 on 2 March in Tokyo.
      ['key.created', 'success', '2026-03-01T23:30:00Z', '=cmd()'],
      ['key.revoked', 'success', '2026-03-03T10:00:00Z', 'b'],
      ['tool.called', 'denied', '2026-03-03T11:00:00Z', 'c'],
      ['key.created', 'success', '2026-02-20T10:00:00Z', 'd'],
    ].map(([action, outcome, at, note]) => ({
      businessId: shop.id,
      action: action!,
      outcome: outcome!,
      actorKind: 'user',
      actorId: `user:${merchant.id}`,
      createdAt: new Date(at!),
      details: { note: note! },
    })),
  });

  await openConsole(page, merchant, '/audit');
  await expect(page.getByTestId('audit-time-zone')).toHaveText(
    'Times and dates are in Asia/Tokyo, the business’s time zone.',
  );
  const rows = page.getByRole('table', { name: 'Audit events' }).getByRole('row');
  await expect(rows.filter({ hasText: 'key.created' }).first()).toContainText(
    '2 Mar 2026, 08:30:00',
  );

  await page.getByLabel('Action', { exact: true }).fill('key.');
  await page.getByLabel('From', { exact: true }).fill('2026-03-02');
  await page.getByLabel('To', { exact: true }).fill('2026-03-03');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/action=key\.&from=2026-03-02&to=2026-03-03/);
  await expect(rows).toHaveCount(3); // header + key.revoked + key.created (2 Mar in Tokyo)
  await expect(rows.nth(1)).toContainText('key.revoked');
  await expect(rows.nth(2)).toContainText('key.created');

  // A reload shows the same view: the filters live in the URL.
  await page.reload();
  await expect(page.getByLabel('Action', { exact: true })).toHaveValue('key.');
  await expect(rows).toHaveCount(3);

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'CSV', exact: true }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(
    /^audit-audit-export-deli-[0-9a-f]+-2026-03-02-to-2026-03-03\.csv$/,
  );
  const text = await readFile((await csv.path())!, 'utf8');
  const lines = text.trimEnd().split('\r\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^time,action,outcome/);
  expect(lines[1]).toContain(',key.revoked,');
  expect(lines[2]).toContain(',key.created,');
  // The formula-looking note is in a JSON cell, quoted: never a cell that starts with "=".
  expect(text).not.toMatch(/(^|,)=/m);

  await page.getByLabel('Outcome', { exact: true }).selectOption('denied');
  await page.getByLabel('Action', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/outcome=denied/);
  await expect(rows).toHaveCount(2);
  const jsonDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'JSON Lines' }).click();
  const jsonl = await jsonDownload;
  expect(jsonl.suggestedFilename()).toMatch(/\.jsonl$/);
  const events = (await readFile((await jsonl.path())!, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { action: string; outcome: string; actor: string });
  expect(events).toEqual([
    expect.objectContaining({ action: 'tool.called', outcome: 'denied', actor: merchant.email }),
  ]);
});
