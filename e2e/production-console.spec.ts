// The console as deployed: `next build` (standalone) once, then run with plain
// `node server.js` twice with different environments, which the built code
// reads at run time. With the Auth Emulator and this run's backend in its
// environment, a merchant signs in and works; with a real Firebase project's
// settings and no emulator variable, the browser signs in against Google's
// Identity Toolkit for that project (answered here by a route stub: no
// internet), and neither the key nor the emulator is baked into the bundle.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from './fixtures.ts';
import { BACKEND_URL, CONSOLE_PORT, EMULATOR_HOST } from './support/env.ts';

const CONSOLE_DIR = resolve(import.meta.dirname, '../apps/console');
const DIST_DIR = '.next/e2e-production';
const SERVER_DIR = join(CONSOLE_DIR, DIST_DIR, 'standalone/apps/console');
const REAL_FIREBASE = {
  FIREBASE_API_KEY: 'AIzaSyE2E-production-build-test-key',
  FIREBASE_PROJECT_ID: 'flowpos-e2e-production',
  FIREBASE_AUTH_DOMAIN: 'flowpos-e2e-production.firebaseapp.com',
};
const servers: ChildProcess[] = [];
const emulatorUrl = `http://127.0.0.1:${CONSOLE_PORT + 1}`;
const realUrl = `http://127.0.0.1:${CONSOLE_PORT + 2}`;

/** The environment the build and the servers inherit, without any Firebase or backend setting. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_DIST_DIR: DIST_DIR,
  };
  for (const name of Object.keys(env))
    if (/FIREBASE|BACKEND_URL/.test(name) || name === 'NODE_ENV') delete env[name];
  return env;
}

async function startServer(port: number, extra: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ['server.js'], {
    cwd: SERVER_DIR,
    env: { ...cleanEnv(), PORT: String(port), HOSTNAME: '127.0.0.1', ...extra },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  servers.push(child);
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`console server exited: ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/sign-in`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`console server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const build = spawnSync(process.execPath, ['../../node_modules/next/dist/bin/next', 'build'], {
    cwd: CONSOLE_DIR,
    env: cleanEnv(),
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  const copy = spawnSync(process.execPath, ['scripts/copy-static.mjs'], {
    cwd: CONSOLE_DIR,
    env: cleanEnv(),
    encoding: 'utf8',
  });
  if (copy.status !== 0) throw new Error(`copy-static failed: ${copy.stderr}`);
  await Promise.all([
    startServer(CONSOLE_PORT + 1, {
      BACKEND_URL,
      FIREBASE_AUTH_EMULATOR_HOST: EMULATOR_HOST,
      FIREBASE_PROJECT_ID: 'demo-flowpos',
    }),
    startServer(CONSOLE_PORT + 2, { BACKEND_URL, ...REAL_FIREBASE }),
  ]);
});

test.afterAll(async () => {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((r) => {
          if (s.exitCode !== null) return r();
          s.once('exit', () => r());
          s.kill('SIGTERM');
        }),
    ),
  );
});

test('the production build signs in through the emulator and reaches the backend named at run time', async ({
  page,
  factory,
}) => {
  const shop = await factory.business('Standalone Diner');
  const merchant = await factory.user({
    label: 'prod-merchant',
    memberships: [{ business: shop, role: 'merchant' }],
  });
  await page.goto(`${emulatorUrl}/sign-in?next=%2Fkeys`);
  await page.getByLabel('Email').fill(merchant.email);
  await page.getByLabel('Password').fill(merchant.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('banner').getByText(merchant.email, { exact: true })).toBeVisible();
  await expect(page).toHaveURL(`${emulatorUrl}/keys`);
  // The keys list comes from the backend through the console's /trpc forwarder.
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  await expect(page.getByText('Standalone Diner').first()).toBeVisible();
});

test('with a real Firebase project and no emulator, sign-in goes to that project', async ({
  page,
}) => {
  const calls: string[] = [];
  await page.route('https://identitytoolkit.googleapis.com/**', async (route) => {
    calls.push(route.request().url());
    await route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 400, message: 'INVALID_LOGIN_CREDENTIALS' } }),
    });
  });
  const emulatorCalls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes(EMULATOR_HOST) || r.url().includes(':9099')) emulatorCalls.push(r.url());
  });
  await page.goto(`${realUrl}/sign-in`);
  await page.getByLabel('Email').fill('someone@example.com');
  await page.getByLabel('Password').fill('a-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong' })).toHaveText(
    'Wrong email or password.',
  );
  expect(calls.length).toBeGreaterThan(0);
  const url = new URL(calls[0]!);
  expect(url.host).toBe('identitytoolkit.googleapis.com');
  expect(url.pathname).toMatch(/accounts:signInWithPassword$/);
  expect(url.searchParams.get('key')).toBe(REAL_FIREBASE.FIREBASE_API_KEY);
  expect(emulatorCalls).toEqual([]);

  // The settings are runtime configuration: none of them is in the built client code.
  const bundle = filesUnder(join(CONSOLE_DIR, DIST_DIR, 'static'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  expect(bundle.length).toBeGreaterThan(0);
  for (const value of [...Object.values(REAL_FIREBASE), EMULATOR_HOST, '127.0.0.1:9099'])
    expect(bundle).not.toContain(value);
});
