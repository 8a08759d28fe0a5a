// Diagnose in Chromium: a merchant pastes a revoked key, then an ended
// session's id, and reads the runbook's answer; screenshots at 1280 and 390 px
// (test-results/screenshots/diagnose-*.png, paths printed).
import type { Page } from '@playwright/test';
import { expect, openConsole, snap, test } from './fixtures.ts';
import { trpcClient } from './support/trpc.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

const SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

async function diagnoseValue(page: Page, value: string) {
  await page.getByLabel('Key, token, session id or client id').fill(value);
  await page.getByRole('button', { name: 'Diagnose', exact: true }).click();
  await expect(page.getByRole('region', { name: /^Diagnosis of/ })).toBeVisible({
    timeout: 60_000,
  });
  // The pasted value does not stay in the form.
  await expect(page.getByLabel('Key, token, session id or client id')).toHaveValue('');
}

async function snapBoth(page: Page, name: string) {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await snap(page, name);
    console.log(
      `screenshot: test-results/screenshots/${name}-${size.width <= 500 ? 'mobile' : 'desktop'}.png`,
    );
  }
  await page.setViewportSize(SIZES[0]!);
}

test('diagnose a revoked key and an ended session', async ({
  page,
  me: owner,
  factory,
  mcp,
  request,
}) => {
  test.setTimeout(300_000);
  const shop = await factory.business('Diagnose Cafe', { member: owner });
  const revoked = await factory.apiKey(owner, {
    business: shop,
    scopes: ['pos:read'],
    name: 'Old laptop',
  });
  const api = trpcClient(request, await owner.idToken());
  expect((await api.mutation('keys.revoke', { keyId: revoked.id })).status).toBe(200);

  await openConsole(page, owner);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Diagnose' })
    .click();
  await expect(page.getByRole('heading', { name: 'Diagnose', level: 1 })).toBeVisible({
    timeout: 60_000,
  });

  await diagnoseValue(page, revoked.key);
  const answer = page.getByRole('region', { name: /^Diagnosis of/ });
  await expect(answer.getByRole('status')).toContainText('"Old laptop" was revoked');
  await expect(answer).toContainText(
    '401 Authentication required: provide a valid MCP API key or access token on POST /mcp',
  );
  await expect(answer).toContainText('Runbook §3 A) 3:');
  await expect(answer).toContainText('isActive = true');
  expect(await page.content()).not.toContain(revoked.key);
  await snapBoth(page, 'diagnose-revoked-key');

  const live = await factory.apiKey(owner, {
    business: shop,
    scopes: ['pos:read'],
    name: 'Cursor',
  });
  const connection = await mcp(live.key, 'cursor');
  const sessionId = connection.sessionId;
  await connection.close();
  // The session's end is audited in the background: ask until it is there.
  await expect(async () => {
    await diagnoseValue(page, sessionId);
    await expect(page.getByRole('region', { name: /^Diagnosis of/ })).toContainText(
      'the client deleted it (DELETE /mcp)',
      { timeout: 1000 },
    );
  }).toPass({ timeout: 60_000 });
  const ended = page.getByRole('region', { name: /^Diagnosis of/ });
  await expect(ended).toContainText('404 Unknown session ID');
  await expect(ended).toContainText('Re-initialize MCP session (new mcp-session-id)');
  await expect(ended).toContainText('cursor 1.2.3');
  await snapBoth(page, 'diagnose-ended-session');
});
