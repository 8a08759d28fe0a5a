// Playwright fixtures (epic-stack style): each test creates its own
// businesses, users (Auth Emulator account + database rows) and keys with
// unique names (support/factory.ts), and everything is deleted after the test. A test that needs a
// signed-in console names its role (`test.use({ signedInAs: 'merchant' })`):
// its page opens already signed in as the worker's account for that role (`me`).
import { test as base, expect, type Page } from '@playwright/test';
import type { Role, Scope } from '@flowpos/core/roles';
import { createRedisEventBus, type EventBus } from '@flowpos/core/events';
import { createDatabase, type Database } from '@flowpos/db';
import { Redis } from 'ioredis';
import { ConsoleAccounts, type ConsoleAccount, type TestUser } from './support/console-accounts.ts';
import { REDIS_URL, redisKeyPrefix } from './support/env.ts';
import { Factory, type CreatedKey, type TestBusiness } from './support/factory.ts';
import { connectMcp, type McpConnection } from './support/mcp.ts';

// The product's own roles and scopes: a fixture never retypes them.
export type { ConsoleAccount, CreatedKey, Role, Scope, TestBusiness, TestUser };
export { Factory };

interface TestOptions {
  /** The role the test's page is signed in as (the worker's account for it); none by default. */
  signedInAs: Role | undefined;
}

interface TestFixtures {
  /** The worker's signed-in account for `signedInAs`. */
  me: ConsoleAccount;
  factory: Factory;
  /** Opens MCP client sessions that are closed after the test. */
  mcp: (bearer: string, clientName?: string) => Promise<McpConnection>;
}

interface WorkerFixtures {
  database: Database;
  /** The backend's event bus (Redis), for changes the fixtures make behind its back. */
  events: EventBus;
  consoleAccounts: ConsoleAccounts;
}

export const test = base.extend<TestOptions & TestFixtures, WorkerFixtures>({
  signedInAs: [undefined, { option: true }],
  database: [
    // Playwright requires a destructuring pattern here, even an empty one.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const url = process.env.E2E_DATABASE_URL;
      if (!url) throw new Error('E2E_DATABASE_URL is not set (global setup did not run)');
      const database = createDatabase(url, { poolSize: 2 });
      await use(database);
      await database.close();
    },
    { scope: 'worker' },
  ],
  events: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const publisher = new Redis(REDIS_URL);
      const subscriber = new Redis(REDIS_URL, { lazyConnect: true });
      await use(createRedisEventBus(publisher, subscriber, redisKeyPrefix()));
      publisher.disconnect();
      subscriber.disconnect();
    },
    { scope: 'worker' },
  ],
  consoleAccounts: [
    async ({ browser, database }, use, workerInfo) => {
      const accounts = new ConsoleAccounts(browser, database, workerInfo.parallelIndex);
      await use(accounts);
      await accounts.delete();
    },
    { scope: 'worker' },
  ],
  storageState: async ({ signedInAs, consoleAccounts }, use) => {
    await use(signedInAs ? (await consoleAccounts.get(signedInAs)).storageState : undefined);
  },
  me: async ({ signedInAs, consoleAccounts }, use) => {
    if (!signedInAs) throw new Error('`me` needs test.use({ signedInAs: <role> })');
    await use(await consoleAccounts.get(signedInAs));
  },
  factory: async ({ database, request, events }, use) => {
    const factory = new Factory(database, request, (userId) =>
      events.publish({ type: 'user.changed', userId }),
    );
    await use(factory);
    await factory.cleanup();
  },
  // Depends on factory so that sessions close before the test's data is deleted.
  mcp: async ({ factory: _factory }, use) => {
    const open: McpConnection[] = [];
    await use(async (bearer, clientName) => {
      const connection = await connectMcp(bearer, clientName);
      open.push(connection);
      return connection;
    });
    await Promise.all(open.map((c) => c.close()));
  },
});

export { expect };

/** Opens `path` in a page already signed in as `user` and waits for the console. */
export async function openConsole(page: Page, user: TestUser, path = '/keys'): Promise<void> {
  await page.goto(path);
  // Room for a busy machine's first render of the dev console.
  await expect(page.getByRole('banner').getByText(user.email, { exact: true })).toBeVisible({
    timeout: 60_000,
  });
}

/** Signs in through the sign-in page and waits for the console. */
export async function signIn(page: Page, user: TestUser, path = '/keys'): Promise<void> {
  await page.goto(`/sign-in?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('banner').getByText(user.email, { exact: true })).toBeVisible();
  await page.waitForURL((url) => url.pathname === path);
}

/** Saves a screenshot for people to look at: test-results/screenshots/<name>-<size>.png. */
export async function snap(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  const { width } = page.viewportSize() ?? { width: 0 };
  await page.screenshot({
    path: `test-results/screenshots/${name}-${width <= 500 ? 'mobile' : 'desktop'}.png`,
    fullPage: options.fullPage ?? true,
  });
}
