// One console account per role and per worker, signed in once through the
// console's own sign-in page (Firebase client against the Auth Emulator); the
// browser state that sign-in leaves (Firebase keeps its user in IndexedDB) is
// kept and handed to every test of that worker that signs in as that role, so
// specs open signed-in pages instead of typing a password each time. Tests of
// one worker run one after another and each deletes its businesses (and with
// them the account's memberships), so the account only ever belongs to the
// running test's businesses. auth.spec.ts keeps signing in through the page.
import { randomUUID } from 'node:crypto';
import { expect, type Browser, type BrowserContextOptions } from '@playwright/test';
import type { Role } from '@flowpos/core/roles';
import type { Database } from '@flowpos/db';
import { CONSOLE_URL, PASSWORD } from './env.ts';
import { deleteAccount, signInWithPassword, signUp } from './firebase.ts';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  firebaseUid: string;
  /** A fresh Firebase ID token from the emulator. */
  idToken(): Promise<string>;
}

/** A worker's signed-in console account: the user, its role and its browser state. */
export interface ConsoleAccount extends TestUser {
  role: Role;
  storageState: Exclude<BrowserContextOptions['storageState'], string | undefined>;
}

/** An emulator account for `email` (the test password), as a TestUser once it has a row. */
export async function emulatorUser(email: string, id = ''): Promise<TestUser> {
  const account = await signUp(email, PASSWORD);
  return {
    id,
    email,
    password: PASSWORD,
    firebaseUid: account.localId,
    idToken: async () => (await signInWithPassword(email, PASSWORD)).idToken,
  };
}

export class ConsoleAccounts {
  private readonly accounts = new Map<Role, Promise<ConsoleAccount>>();

  private readonly browser: Browser;
  private readonly db: Database;
  private readonly worker: number;
  constructor(browser: Browser, db: Database, worker: number) {
    this.browser = browser;
    this.db = db;
    this.worker = worker;
  }

  /** The worker's account for `role`, created and signed in on first use. */
  get(role: Role): Promise<ConsoleAccount> {
    let account = this.accounts.get(role);
    if (!account) {
      account = this.create(role);
      this.accounts.set(role, account);
    }
    return account;
  }

  private async create(role: Role): Promise<ConsoleAccount> {
    const email = `${role.replace('_', '-')}-w${this.worker}-${randomUUID().slice(0, 8)}@e2e.flowpos.test`;
    const user = await emulatorUser(email);
    // Platform operators are a flag on the user; the other roles come with
    // each test's memberships (Factory.business).
    const row = await this.db.prisma.user.create({
      data: {
        email,
        firebaseUid: user.firebaseUid,
        isPlatformOperator: role === 'platform_operator',
      },
    });
    const context = await this.browser.newContext({
      baseURL: CONSOLE_URL,
      storageState: { cookies: [], origins: [] },
    });
    try {
      const page = await context.newPage();
      await page.goto('/sign-in?next=%2Fkeys');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('banner').getByText(email, { exact: true })).toBeVisible({
        timeout: 60_000,
      });
      const storageState = await context.storageState({ indexedDB: true });
      return { ...user, id: row.id, role, storageState };
    } finally {
      await context.close();
    }
  }

  async delete(): Promise<void> {
    const settled = await Promise.allSettled(this.accounts.values());
    const accounts = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    await this.db.prisma.user.deleteMany({ where: { id: { in: accounts.map((a) => a.id) } } });
    await Promise.all(
      accounts.map((a) => deleteAccount(a.email, a.password).catch(() => undefined)),
    );
  }
}
