// Playwright fixtures (epic-stack style): each test creates its own
// businesses, users (Auth Emulator account + database rows) and keys with
// unique names, and everything is deleted after the test. A test that needs a
// signed-in console names its role (`test.use({ signedInAs: 'merchant' })`):
// its page opens already signed in as the worker's account for that role (`me`).
import { randomUUID } from 'node:crypto';
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import type { Role, Scope } from '@flowpos/core/roles';
import { createRedisEventBus, type EventBus } from '@flowpos/core/events';
import { createDatabase, type Database } from '@flowpos/db';
import { Redis } from 'ioredis';
import {
  ConsoleAccounts,
  emulatorUser,
  type ConsoleAccount,
  type TestUser,
} from './support/console-accounts.ts';
import { PASSWORD, REDIS_URL, redisKeyPrefix } from './support/env.ts';
import { deleteAccount } from './support/firebase.ts';
import { connectMcp, type McpConnection } from './support/mcp.ts';
import { trpcClient } from './support/trpc.ts';

// The product's own roles and scopes: a fixture never retypes them.
export type { ConsoleAccount, Role, Scope, TestUser };

export interface TestBusiness {
  id: string;
  name: string;
}

export interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
  name: string;
  role: Role;
  scopes: Scope[];
}

const unique = () => randomUUID().slice(0, 8);

export class Factory {
  private readonly businesses: string[] = [];
  private readonly users: { id: string; email: string }[] = [];
  private readonly strangers: string[] = [];

  /** Worker accounts whose memberships this test changed (behind the product's back). */
  private readonly members = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly request: APIRequestContext,
    /** Tells the backend an account's memberships changed, as the product's own changes do. */
    private readonly announce: (userId: string) => Promise<void>,
  ) {}

  /** A business; `member` (the signed-in account) joins it with its role. */
  async business(
    name = 'Shop',
    options: { member?: ConsoleAccount; isActive?: boolean } = {},
  ): Promise<TestBusiness> {
    const { member, isActive = true } = options;
    const row = await this.db.prisma.business.create({
      data: {
        name: `${name} ${unique()}`,
        ...(member
          ? { members: { create: [{ userId: member.id, role: member.role, isActive }] } }
          : {}),
      },
    });
    this.businesses.push(row.id);
    if (member) {
      // The worker's account lives across tests: the backend must not answer
      // from what it knew of its memberships before (its user cache).
      this.members.add(member.id);
      await this.announce(member.id);
    }
    return { id: row.id, name: row.name };
  }

  async user(options: {
    label?: string;
    memberships?: { business: TestBusiness; role: Role; isActive?: boolean }[];
    operator?: boolean;
  }): Promise<TestUser> {
    const email = `${options.label ?? 'user'}-${unique()}@e2e.flowpos.test`;
    const account = await emulatorUser(email);
    const row = await this.db.prisma.user.create({
      data: {
        email,
        firebaseUid: account.firebaseUid,
        isPlatformOperator: options.operator ?? false,
        memberships: {
          create: (options.memberships ?? []).map((m) => ({
            businessId: m.business.id,
            role: m.role,
            isActive: m.isActive ?? true,
          })),
        },
      },
    });
    this.users.push({ id: row.id, email });
    return { ...account, id: row.id };
  }

  /** Two businesses, a merchant of each: for what one merchant must not see of the other's. */
  async rivalMerchants(me?: ConsoleAccount) {
    const mine = await this.business('Mine', { member: me });
    const theirs = await this.business('Theirs');
    const merchant =
      me ??
      (await this.user({ label: 'merchant', memberships: [{ business: mine, role: 'merchant' }] }));
    const other = await this.user({
      label: 'other',
      memberships: [{ business: theirs, role: 'merchant' }],
    });
    return { mine, theirs, merchant, other };
  }

  /** A Firebase account FlowPOS knows nothing about (no user row). */
  async strangerAccount(): Promise<TestUser> {
    const email = `stranger-${unique()}@e2e.flowpos.test`;
    const account = await emulatorUser(email);
    this.strangers.push(email);
    return account;
  }

  /** A key created through the console's API, as its user would. */
  async apiKey(
    user: TestUser,
    input: { business: TestBusiness; scopes: Scope[]; role?: Role; name?: string },
  ): Promise<CreatedKey> {
    const api = trpcClient(this.request, await user.idToken());
    const result = await api.mutation<CreatedKey>('keys.create', {
      businessId: input.business.id,
      name: input.name ?? `key ${unique()}`,
      scopes: input.scopes,
      ...(input.role ? { role: input.role } : {}),
    });
    if (!result.data)
      throw new Error(`keys.create failed: ${result.status} ${JSON.stringify(result.error)}`);
    return result.data;
  }

  /** A business `member` belongs to, and a key of theirs for it. */
  async businessWithKey(
    member: ConsoleAccount,
    businessName: string,
    key: { scopes: Scope[]; role?: Role; name?: string },
  ): Promise<{ business: TestBusiness; key: CreatedKey }> {
    const business = await this.business(businessName, { member });
    return { business, key: await this.apiKey(member, { business, ...key }) };
  }

  async product(
    business: TestBusiness,
    fields: { sku: string; name: string; priceCents: number; stock: number },
  ) {
    return this.db.prisma.product.create({ data: { businessId: business.id, ...fields } });
  }

  /**
   * Waits until the backend has written `calls` tool calls of the business to
   * its usage (it writes them in batches, every few seconds), so a page
   * opened next shows them without waiting for its own next poll.
   */
  async usageWritten(business: TestBusiness, calls: number): Promise<void> {
    const written = async () => {
      const sum = await this.db.prisma.usageBucket.aggregate({
        where: { businessId: business.id, period: 'hour' },
        _sum: { calls: true },
      });
      return sum._sum.calls ?? 0;
    };
    await expect.poll(written, { timeout: 60_000 }).toBeGreaterThanOrEqual(calls);
  }

  /** An order of one unit of a new product, for a refund to be asked on. */
  async order(
    business: TestBusiness,
    fields: { sku: string; name: string; priceCents: number; stock: number },
  ) {
    const product = await this.product(business, fields);
    const order = await this.db.prisma.order.create({
      data: {
        businessId: business.id,
        totalCents: product.priceCents,
        lines: {
          create: [{ productId: product.id, quantity: 1, unitPriceCents: product.priceCents }],
        },
      },
    });
    return { product, order };
  }

  async saleIntent(business: TestBusiness, options: { note?: string; totalCents?: number } = {}) {
    const totalCents = options.totalCents ?? 1250;
    const product = await this.db.prisma.product.create({
      data: {
        businessId: business.id,
        sku: `LATTE-${unique()}`,
        name: 'Latte',
        priceCents: totalCents / 2,
        stock: 100,
      },
    });
    return this.db.prisma.intent.create({
      data: {
        businessId: business.id,
        kind: 'sale',
        note: options.note ?? null,
        createdBy: 'key:e2e',
        payload: {
          lines: [
            {
              productId: product.id,
              sku: product.sku,
              name: product.name,
              quantity: 2,
              unitPriceCents: product.priceCents,
            },
          ],
          totalCents,
        },
      },
    });
  }

  async cleanup(): Promise<void> {
    // Audit rows the backend writes after their business is gone are kept
    // without it (the audit log joins on business), so no wait is needed here.
    // Order lines keep their products (restrict): orders go first. Businesses
    // then cascade to memberships, keys, products, intents and audit rows.
    await this.db.prisma.order.deleteMany({ where: { businessId: { in: this.businesses } } });
    await this.db.prisma.business.deleteMany({ where: { id: { in: this.businesses } } });
    await this.db.prisma.user.deleteMany({ where: { id: { in: this.users.map((u) => u.id) } } });
    await Promise.all([...this.members].map((id) => this.announce(id)));
    const emails = [...this.users.map((u) => u.email), ...this.strangers];
    await Promise.all(emails.map((email) => deleteAccount(email, PASSWORD).catch(() => undefined)));
  }
}

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
