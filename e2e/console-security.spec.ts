// The console cannot be framed, and the sign-in page's `next` only ever leads
// to a path on the console itself.
import { expect, openConsole, test } from './fixtures.ts';

// Pages open signed in as the worker's merchant account (fixtures.ts).
test.use({ signedInAs: 'merchant' });

test('every console page forbids framing (CSP frame-ancestors none)', async ({ request }) => {
  for (const path of ['/sign-in', '/keys', '/sessions']) {
    const res = await request.get(path);
    expect(res.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers()['x-frame-options']).toBe('DENY');
  }
});

test('after sign-in, `next` leads only to a path on the console', async ({
  page,
  me: merchant,
  factory,
  baseURL,
}) => {
  // Eleven loads of the sign-in page and where it leads: 1.1 min on a busy 2-core machine.
  test.slow();
  await factory.business('Next Cafe', { member: merchant });
  await openConsole(page, merchant, '/sessions');
  const origin = new URL(baseURL ?? '').origin;
  const hostile = [
    '//evil.example/keys',
    '/\\evil.example',
    '/%2F%2Fevil.example',
    '%2F%2Fevil.example',
    '/%5Cevil.example',
    '/%252F%252Fevil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/\tevil.example',
    '/%09/evil.example',
  ];
  for (const next of hostile) {
    await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
    await page.waitForURL((url) => url.pathname === '/keys');
    expect(new URL(page.url()).origin).toBe(origin);
  }
  // A plain path (with its query) is kept.
  await page.goto(`/sign-in?next=${encodeURIComponent('/audit?kind=keys')}`);
  await page.waitForURL((url) => url.pathname === '/audit');
  expect(new URL(page.url()).search).toBe('?kind=keys');
});
