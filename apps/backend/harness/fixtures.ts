// Throwaway data for the tests and the bench: businesses, users (in the
// Firebase Auth Emulator and the database), memberships, products, orders and
// API keys, each with unique names so that runs never depend on one another.
import { randomBytes } from 'node:crypto';
import {
  displayPrefix,
  generateApiKey,
  hashApiKey,
  ROLE_SCOPES,
  type Role,
  type Scope,
  toolPolicyColumns,
  type ToolPolicy,
} from '@flowpos/core';
import type { Db } from '@flowpos/db';
import { EMULATOR_HOST } from './server.ts';

export const PASSWORD = 'test-password-1';

export const unique = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

export async function createBusiness(db: Db, name = unique('Biz'), products = 3) {
  const business = await db.business.create({ data: { name } });
  const created = [];
  for (let i = 0; i < products; i++) {
    created.push(
      await db.product.create({
        data: {
          businessId: business.id,
          sku: `SKU-${i}`,
          name: `${name} product ${i}`,
          category: i % 2 ? 'drinks' : 'food',
          priceCents: 500 + i * 100,
          stock: 50,
        },
      }),
    );
  }
  const order = await db.order.create({
    data: {
      businessId: business.id,
      totalCents: created[0] ? created[0].priceCents * 2 : 0,
      placedAt: new Date(Date.now() - 86_400_000),
      lines: created[0]
        ? {
            create: [
              { productId: created[0].id, quantity: 2, unitPriceCents: created[0].priceCents },
            ],
          }
        : undefined,
    },
  });
  return { business, products: created, order };
}

interface EmulatorUser {
  localId: string;
  idToken: string;
  refreshToken: string;
}

/**
 * The emulator closes a keep-alive connection after 5 s idle, about when
 * fetch's pool would reuse it: a request sent on a connection the emulator
 * has just closed fails before it is read ("other side closed") and is sent
 * once more, on a new connection.
 */
async function emulatorFetch(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw error;
    return fetch(url, init);
  }
}

async function emulator<T>(path: string, body: unknown): Promise<T> {
  const res = await emulatorFetch(
    `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST ?? EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/${path}?key=test`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
  );
  const json = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(`emulator ${path}: ${json.error?.message ?? res.status}`);
  return json;
}

export async function signUp(email: string): Promise<EmulatorUser> {
  return emulator<EmulatorUser>('accounts:signUp', {
    email,
    password: PASSWORD,
    returnSecureToken: true,
  });
}

export async function signIn(email: string): Promise<EmulatorUser> {
  return emulator<EmulatorUser>('accounts:signInWithPassword', {
    email,
    password: PASSWORD,
    returnSecureToken: true,
  });
}

/**
 * Firebase's "tokens valid after" for the account (what revokeRefreshTokens
 * sets to now), through the emulator's admin REST API. A test that forges a
 * token chain started in the past moves it back first: a new account's
 * sign-ins are valid only from its creation.
 */
export async function setValidSince(uid: string, seconds: number): Promise<void> {
  const res = await emulatorFetch(
    `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST ?? EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/projects/demo-flowpos/accounts:update`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer owner' },
      body: JSON.stringify({ localId: uid, validSince: String(seconds) }),
    },
  );
  if (!res.ok) throw new Error(`emulator accounts:update: ${res.status}`);
}

export interface TestUser {
  id: string;
  email: string;
  firebaseUid: string;
  /** A fresh Firebase ID token from the emulator. */
  idToken(): Promise<string>;
}

export async function createUser(
  db: Db,
  options: {
    memberships?: { businessId: string; role: Role; isActive?: boolean }[];
    operator?: boolean;
    label?: string;
  } = {},
): Promise<TestUser> {
  const email = `${unique(options.label ?? 'user')}@test.flowpos`.toLowerCase();
  const fb = await signUp(email);
  const user = await db.user.create({
    data: {
      email,
      firebaseUid: fb.localId,
      isPlatformOperator: options.operator ?? false,
      memberships: {
        create: (options.memberships ?? []).map((m) => ({
          businessId: m.businessId,
          role: m.role,
          isActive: m.isActive ?? true,
        })),
      },
    },
  });
  return {
    id: user.id,
    email,
    firebaseUid: fb.localId,
    idToken: async () => (await signIn(email)).idToken,
  };
}

export async function createKey(
  db: Db,
  options: {
    businessId: string;
    role?: Role;
    scopes?: Scope[];
    expiresAt?: Date | null;
    isActive?: boolean;
    revoked?: boolean;
    createdById?: string;
    /** Default all (as a key created before tool policies). */
    toolPolicy?: ToolPolicy;
  },
) {
  const key = generateApiKey();
  const role = options.role ?? 'merchant';
  const row = await db.apiKey.create({
    data: {
      businessId: options.businessId,
      name: unique('key'),
      prefix: displayPrefix(key),
      hash: hashApiKey(key),
      role,
      scopes: options.scopes ?? [...ROLE_SCOPES[role]],
      expiresAt: options.expiresAt ?? null,
      isActive: options.isActive ?? !options.revoked,
      revokedAt: options.revoked ? new Date() : null,
      createdById: options.createdById ?? null,
      ...(options.toolPolicy && toolPolicyColumns(options.toolPolicy)),
    },
  });
  return { key, row };
}
