// The e2e test data factory: each test creates its own businesses, users
// (Auth Emulator account + database rows), keys, products, orders and
// intents with unique names, and `cleanup` deletes everything after the test.
import { randomUUID } from 'node:crypto';
import { expect, type APIRequestContext } from '@playwright/test';
import type { Role, Scope } from '@flowpos/core/roles';
import type { Database } from '@flowpos/db';
import { type ConsoleAccount, emulatorUser, type TestUser } from './console-accounts.ts';
import { PASSWORD } from './env.ts';
import { deleteAccount } from './firebase.ts';
import { trpcClient } from './trpc.ts';

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

  private readonly db: Database;
  private readonly request: APIRequestContext;
  /** Tells the backend an account's memberships changed, as the product's own changes do. */
  private readonly announce: (userId: string) => Promise<void>;
  constructor(
    db: Database,
    request: APIRequestContext,
    announce: (userId: string) => Promise<void>,
  ) {
    this.db = db;
    this.request = request;
    this.announce = announce;
  }

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
