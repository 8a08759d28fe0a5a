// The demo data set, as a function so tests can seed a database of their own:
//   await seed({ prisma, log: () => {}, resolveFirebaseUid: async (u) => `uid-${u.email}` })
// Idempotent: businesses, products, users and memberships are upserted, orders
// are only generated for a business that has none, and a seed API key is only
// created when no live key of that name exists. Key secrets are never stored:
// only their SHA-256 hash and display prefix; a new key is returned (and
// logged) once.
import { randomUUID } from 'node:crypto';
import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { Temporal } from 'temporal-polyfill';
import { getAuth } from 'firebase-admin/auth';
import type { Db } from '@flowpos/db';
import { displayPrefix, generateApiKey, hashApiKey } from '@flowpos/core/keys/api-key';
import { ROLE_SCOPES, type Role } from '@flowpos/core/roles';

export const DEMO_PASSWORD = 'flowpos-demo';
export const FIREBASE_PROJECT_ID = 'demo-flowpos';
export const DEFAULT_EMULATOR_HOST = '127.0.0.1:9099';
export const DEMO_KEY_NAME = 'Demo key (npm start)';

// ---------------------------------------------------------------- definitions

interface ProductDef {
  sku: string;
  name: string;
  category: string;
  priceCents: number;
  stock: number;
}

interface BusinessDef {
  name: string;
  currency: string;
  /** IANA time zone: what "today" and a date mean for this business. */
  timeZone: string;
  /** Opening hours (local time) in which orders are placed: [from, to). */
  hours: [number, number];
  ordersPerDay: [number, number];
  products: ProductDef[];
}

export const BUSINESSES: readonly BusinessDef[] = [
  {
    name: 'Blue Bottle Bar',
    currency: 'USD',
    timeZone: 'America/Los_Angeles',
    hours: [16, 24],
    ordersPerDay: [6, 15],
    products: [
      { sku: 'BBB-IPA', name: 'House IPA (pint)', category: 'Beer', priceCents: 750, stock: 180 },
      {
        sku: 'BBB-LAGER',
        name: 'Pilsner Lager (pint)',
        category: 'Beer',
        priceCents: 650,
        stock: 220,
      },
      {
        sku: 'BBB-STOUT',
        name: 'Oatmeal Stout (pint)',
        category: 'Beer',
        priceCents: 800,
        stock: 90,
      },
      { sku: 'BBB-CIDER', name: 'Dry Apple Cider', category: 'Beer', priceCents: 700, stock: 60 },
      { sku: 'BBB-MARG', name: 'Margarita', category: 'Cocktails', priceCents: 1200, stock: 999 },
      { sku: 'BBB-NEGRONI', name: 'Negroni', category: 'Cocktails', priceCents: 1300, stock: 999 },
      {
        sku: 'BBB-OLDFASH',
        name: 'Old Fashioned',
        category: 'Cocktails',
        priceCents: 1400,
        stock: 999,
      },
      {
        sku: 'BBB-SPRITZ',
        name: 'Aperol Spritz',
        category: 'Cocktails',
        priceCents: 1100,
        stock: 999,
      },
      {
        sku: 'BBB-WINE-R',
        name: 'House Red (glass)',
        category: 'Wine',
        priceCents: 900,
        stock: 48,
      },
      {
        sku: 'BBB-WINE-W',
        name: 'House White (glass)',
        category: 'Wine',
        priceCents: 900,
        stock: 52,
      },
      { sku: 'BBB-NACHOS', name: 'Loaded Nachos', category: 'Food', priceCents: 1050, stock: 40 },
      { sku: 'BBB-FRIES', name: 'Truffle Fries', category: 'Food', priceCents: 750, stock: 70 },
      { sku: 'BBB-SODA', name: 'Craft Soda', category: 'Soft drinks', priceCents: 400, stock: 120 },
    ],
  },
  {
    name: 'Corner Bakery',
    currency: 'USD',
    timeZone: 'America/New_York',
    hours: [7, 15],
    ordersPerDay: [8, 15],
    products: [
      {
        sku: 'CB-SOURDOUGH',
        name: 'Sourdough Loaf',
        category: 'Bread',
        priceCents: 800,
        stock: 30,
      },
      { sku: 'CB-BAGUETTE', name: 'Baguette', category: 'Bread', priceCents: 450, stock: 45 },
      { sku: 'CB-RYE', name: 'Seeded Rye', category: 'Bread', priceCents: 750, stock: 20 },
      {
        sku: 'CB-CROISSANT',
        name: 'Butter Croissant',
        category: 'Pastry',
        priceCents: 375,
        stock: 80,
      },
      {
        sku: 'CB-PAINCHOC',
        name: 'Pain au Chocolat',
        category: 'Pastry',
        priceCents: 425,
        stock: 60,
      },
      { sku: 'CB-CINNROLL', name: 'Cinnamon Roll', category: 'Pastry', priceCents: 450, stock: 50 },
      {
        sku: 'CB-MUFFIN',
        name: 'Blueberry Muffin',
        category: 'Pastry',
        priceCents: 350,
        stock: 55,
      },
      { sku: 'CB-ESPRESSO', name: 'Espresso', category: 'Coffee', priceCents: 300, stock: 999 },
      { sku: 'CB-LATTE', name: 'Latte', category: 'Coffee', priceCents: 500, stock: 999 },
      { sku: 'CB-CAPP', name: 'Cappuccino', category: 'Coffee', priceCents: 475, stock: 999 },
      { sku: 'CB-TEA', name: 'Earl Grey Tea', category: 'Tea', priceCents: 325, stock: 999 },
      {
        sku: 'CB-QUICHE',
        name: 'Spinach Quiche Slice',
        category: 'Savory',
        priceCents: 650,
        stock: 24,
      },
    ],
  },
  {
    name: 'Night Market Foods',
    currency: 'USD',
    timeZone: 'America/Chicago',
    hours: [17, 24],
    ordersPerDay: [5, 14],
    products: [
      {
        sku: 'NM-BAO',
        name: 'Pork Belly Bao',
        category: 'Street food',
        priceCents: 600,
        stock: 120,
      },
      {
        sku: 'NM-DUMPLING',
        name: 'Pork Dumplings (8)',
        category: 'Street food',
        priceCents: 850,
        stock: 150,
      },
      {
        sku: 'NM-SKEWER',
        name: 'Chicken Satay Skewers',
        category: 'Grill',
        priceCents: 700,
        stock: 140,
      },
      { sku: 'NM-SQUID', name: 'Grilled Squid', category: 'Grill', priceCents: 1100, stock: 40 },
      { sku: 'NM-PADTHAI', name: 'Pad Thai', category: 'Noodles', priceCents: 1250, stock: 80 },
      { sku: 'NM-RAMEN', name: 'Tonkotsu Ramen', category: 'Noodles', priceCents: 1400, stock: 60 },
      {
        sku: 'NM-SPRING',
        name: 'Vegetable Spring Rolls',
        category: 'Street food',
        priceCents: 550,
        stock: 100,
      },
      { sku: 'NM-TAKO', name: 'Takoyaki (6)', category: 'Street food', priceCents: 750, stock: 90 },
      {
        sku: 'NM-MANGO',
        name: 'Mango Sticky Rice',
        category: 'Dessert',
        priceCents: 650,
        stock: 50,
      },
      {
        sku: 'NM-BOBA',
        name: 'Brown Sugar Boba Tea',
        category: 'Drinks',
        priceCents: 575,
        stock: 200,
      },
      { sku: 'NM-LEMON', name: 'Thai Iced Tea', category: 'Drinks', priceCents: 450, stock: 200 },
    ],
  },
];

interface MembershipDef {
  business: string;
  role: Role;
  isActive: boolean;
}

interface UserDef {
  email: string;
  displayName: string;
  isPlatformOperator: boolean;
  memberships: MembershipDef[];
  /** What this account demonstrates (printed by the seed and by npm start). */
  description: string;
}

export const USERS: readonly UserDef[] = [
  {
    email: 'owner@flowpos.test',
    displayName: 'Olivia Owner',
    isPlatformOperator: false,
    memberships: [
      { business: 'Blue Bottle Bar', role: 'merchant', isActive: true },
      { business: 'Corner Bakery', role: 'merchant', isActive: true },
    ],
    description: 'merchant of Blue Bottle Bar and Corner Bakery',
  },
  {
    email: 'merchant@flowpos.test',
    displayName: 'Marco Merchant',
    isPlatformOperator: false,
    memberships: [{ business: 'Night Market Foods', role: 'merchant', isActive: true }],
    description: 'merchant of Night Market Foods',
  },
  {
    email: 'dev@flowpos.test',
    displayName: 'Dana Developer',
    isPlatformOperator: false,
    memberships: [{ business: 'Corner Bakery', role: 'tenant_developer', isActive: true }],
    description: 'tenant developer of Corner Bakery',
  },
  {
    email: 'operator@flowpos.test',
    displayName: 'Omar Operator',
    isPlatformOperator: true,
    memberships: [],
    description: 'platform operator (every business)',
  },
  {
    email: 'inactive@flowpos.test',
    displayName: 'Ivan Inactive',
    isPlatformOperator: false,
    memberships: [{ business: 'Night Market Foods', role: 'merchant', isActive: false }],
    description: 'inactive membership only: token exchange answers 403',
  },
];

interface KeyDef {
  name: string;
  business: string;
  role: Role;
  createdBy: string;
}

export const SEED_KEYS: readonly KeyDef[] = [
  {
    name: 'Seed merchant key',
    business: 'Blue Bottle Bar',
    role: 'merchant',
    createdBy: 'owner@flowpos.test',
  },
  {
    name: 'Seed tenant_developer key',
    business: 'Corner Bakery',
    role: 'tenant_developer',
    createdBy: 'dev@flowpos.test',
  },
  {
    name: 'Seed platform_operator key',
    business: 'Blue Bottle Bar',
    role: 'platform_operator',
    createdBy: 'operator@flowpos.test',
  },
];

export const DEMO_KEY: KeyDef = {
  name: DEMO_KEY_NAME,
  business: 'Blue Bottle Bar',
  role: 'merchant',
  createdBy: 'owner@flowpos.test',
};

// ---------------------------------------------------------------- firebase

export class SeedError extends Error {}

export function emulatorHost(): string {
  return process.env.FIREBASE_AUTH_EMULATOR_HOST || DEFAULT_EMULATOR_HOST;
}

/** Throws a SeedError with a one-line message when the emulator does not answer. */
export async function assertEmulatorReachable(host = emulatorHost()): Promise<void> {
  try {
    await fetch(`http://${host}/`, { signal: AbortSignal.timeout(3000) });
  } catch {
    throw new SeedError(
      `Firebase Auth Emulator is not reachable at ${host}: start it (npm start does, or ` +
        `npx firebase emulators:start --only auth --project ${FIREBASE_PROJECT_ID}) or set FIREBASE_AUTH_EMULATOR_HOST`,
    );
  }
}

function seedFirebaseApp(): App {
  // The seed only ever talks to the emulator: never to a real Firebase project.
  process.env.FIREBASE_AUTH_EMULATOR_HOST = emulatorHost();
  const name = 'flowpos-seed';
  return (
    getApps().find((a) => a.name === name) ??
    initializeApp({ projectId: FIREBASE_PROJECT_ID }, name)
  );
}

/** Finds or creates the user in the Auth Emulator; returns its uid. */
export async function emulatorFirebaseUid(user: {
  email: string;
  displayName: string;
}): Promise<string> {
  const auth = getAuth(seedFirebaseApp());
  try {
    return (await auth.getUserByEmail(user.email)).uid;
  } catch (error) {
    if ((error as { code?: string }).code !== 'auth/user-not-found') throw error;
  }
  const created = await auth.createUser({
    email: user.email,
    password: DEMO_PASSWORD,
    displayName: user.displayName,
    emailVerified: true,
  });
  return created.uid;
}

// ---------------------------------------------------------------- helpers

/** mulberry32: small deterministic PRNG, seeded from a string. */
function prng(seedText: string): () => number {
  let a = 0x9e3779b9;
  for (const ch of seedText) a = Math.imul(a ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function intBetween(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

export function mcpUrl(): string {
  return process.env.MCP_URL ?? `http://127.0.0.1:${process.env.PORT || 4000}/mcp`;
}

export function curlInitializeExample(key: string, url = mcpUrl()): string {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'curl', version: '1.0.0' },
    },
  });
  return [
    `curl -i ${url} \\`,
    `  -H 'Authorization: Bearer ${key}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H 'Accept: application/json, text/event-stream' \\`,
    `  -d '${body}'`,
  ].join('\n');
}

// ---------------------------------------------------------------- seed

export interface CreatedKey {
  id: string;
  name: string;
  key: string;
  role: Role;
  scopes: string[];
  business: string;
  businessId: string;
}

export interface SeedOptions {
  prisma: Db;
  log?: (line: string) => void;
  /** Rotate the `Demo key (npm start)` key: revoke the previous one, create and return a new one. */
  demoKey?: boolean;
  /** Maps a seeded user to its Firebase uid; defaults to the Auth Emulator (find or create). */
  resolveFirebaseUid?: (user: { email: string; displayName: string }) => Promise<string>;
  /** Generate orders for businesses that have none (default true). */
  orders?: boolean;
  /** "Now" for generated orders (tests). */
  now?: Date;
}

export interface SeedResult {
  businesses: Record<string, string>;
  users: Record<string, string>;
  ordersCreated: number;
  createdKeys: CreatedKey[];
  demoKey?: CreatedKey;
}

export async function seed(options: SeedOptions): Promise<SeedResult> {
  const { prisma } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const resolveUid = options.resolveFirebaseUid ?? emulatorFirebaseUid;
  const now = options.now ?? new Date();

  // Businesses and their catalogs.
  const businesses: Record<string, string> = {};
  const productsByBusiness = new Map<string, { id: string; priceCents: number }[]>();
  for (const def of BUSINESSES) {
    const existing = await prisma.business.findFirst({
      where: { name: def.name },
      orderBy: { createdAt: 'asc' },
    });
    const business =
      existing ??
      (await prisma.business.create({
        data: { name: def.name, currency: def.currency, timeZone: def.timeZone },
      }));
    businesses[def.name] = business.id;
    const products: { id: string; priceCents: number }[] = [];
    for (const p of def.products) {
      const product = await prisma.product.upsert({
        where: { businessId_sku: { businessId: business.id, sku: p.sku } },
        update: {},
        create: { businessId: business.id, ...p },
      });
      products.push({ id: product.id, priceCents: product.priceCents });
    }
    productsByBusiness.set(def.name, products);
    log(
      `  business ${def.name} (${business.id}): ${existing ? 'exists' : 'created'}, ${products.length} products`,
    );
  }

  // Orders: four weeks of history, only for a business that has no orders yet.
  let ordersCreated = 0;
  if (options.orders !== false) {
    for (const def of BUSINESSES) {
      const businessId = businesses[def.name] as string;
      if ((await prisma.order.count({ where: { businessId } })) > 0) continue;
      const created = await generateOrders(
        prisma,
        def,
        businessId,
        productsByBusiness.get(def.name) ?? [],
        now,
      );
      ordersCreated += created;
      log(`  business ${def.name}: ${created} orders over the last 28 days`);
    }
  }

  // Users: Firebase Auth Emulator + database, then memberships.
  const users: Record<string, string> = {};
  for (const def of USERS) {
    const firebaseUid = await resolveUid({ email: def.email, displayName: def.displayName });
    const user = await prisma.user.upsert({
      where: { email: def.email },
      update: {
        firebaseUid,
        displayName: def.displayName,
        isPlatformOperator: def.isPlatformOperator,
      },
      create: {
        email: def.email,
        firebaseUid,
        displayName: def.displayName,
        isPlatformOperator: def.isPlatformOperator,
      },
    });
    users[def.email] = user.id;
    for (const m of def.memberships) {
      const businessId = businesses[m.business] as string;
      await prisma.businessUser.upsert({
        where: { businessId_userId: { businessId, userId: user.id } },
        update: { role: m.role, isActive: m.isActive },
        create: { businessId, userId: user.id, role: m.role, isActive: m.isActive },
      });
    }
    log(`  user ${def.email}: ${def.description}`);
  }

  // API keys: created once; the secret exists only in this run's output.
  const createKey = async (def: KeyDef): Promise<CreatedKey> => {
    const key = generateApiKey();
    const businessId = businesses[def.business] as string;
    const scopes = [...ROLE_SCOPES[def.role]];
    const row = await prisma.apiKey.create({
      data: {
        businessId,
        name: def.name,
        prefix: displayPrefix(key),
        hash: hashApiKey(key),
        role: def.role,
        scopes,
        createdById: users[def.createdBy] ?? null,
      },
    });
    return {
      id: row.id,
      name: def.name,
      key,
      role: def.role,
      scopes,
      business: def.business,
      businessId,
    };
  };

  const createdKeys: CreatedKey[] = [];
  for (const def of SEED_KEYS) {
    const live = await prisma.apiKey.findFirst({
      where: {
        businessId: businesses[def.business],
        name: def.name,
        isActive: true,
        revokedAt: null,
      },
    });
    if (live) continue;
    createdKeys.push(await createKey(def));
  }

  let demoKey: CreatedKey | undefined;
  if (options.demoKey) {
    await prisma.apiKey.updateMany({
      where: { businessId: businesses[DEMO_KEY.business], name: DEMO_KEY.name, isActive: true },
      data: { isActive: false, revokedAt: now },
    });
    demoKey = await createKey(DEMO_KEY);
  }

  if (createdKeys.length > 0) {
    log('');
    log('New API keys (shown only now: the database keeps their SHA-256 hash):');
    for (const k of createdKeys) {
      log(`  ${k.name} (${k.role}, ${k.business}, scopes ${k.scopes.join(' ')}):`);
      log(`    ${k.key}`);
    }
    log('');
    log(`Try one against the MCP endpoint (the backend must be running):`);
    log(curlInitializeExample((createdKeys[0] as CreatedKey).key));
  } else {
    log('  seed API keys: already present (their secrets were printed when they were created)');
  }
  if (demoKey) {
    log('');
    log(`Demo API key (${demoKey.role}, ${demoKey.business}): ${demoKey.key}`);
    log('  (rotated on every `npm start`; the previous demo key is revoked)');
  }

  return { businesses, users, ordersCreated, createdKeys, ...(demoKey ? { demoKey } : {}) };
}

async function generateOrders(
  prisma: Db,
  def: BusinessDef,
  businessId: string,
  products: { id: string; priceCents: number }[],
  now: Date,
): Promise<number> {
  if (products.length === 0) return 0;
  const rand = prng(def.name);
  const orders: {
    id: string;
    businessId: string;
    status: 'completed' | 'refunded';
    totalCents: number;
    refundedCents: number;
    placedAt: Date;
  }[] = [];
  const lines: { orderId: string; productId: string; quantity: number; unitPriceCents: number }[] =
    [];
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime())
    .toZonedDateTimeISO(def.timeZone)
    .toPlainDate();
  for (let daysAgo = 27; daysAgo >= 0; daysAgo--) {
    const dayStart = today
      .subtract({ days: daysAgo })
      .toZonedDateTime({ timeZone: def.timeZone }).epochMilliseconds;
    const count = intBetween(rand, def.ordersPerDay[0], def.ordersPerDay[1]);
    for (let i = 0; i < count; i++) {
      const minute = intBetween(rand, def.hours[0] * 60, def.hours[1] * 60 - 1);
      const placedAt = new Date(dayStart + minute * 60_000 + intBetween(rand, 0, 59) * 1000);
      const lineCount = intBetween(rand, 1, 4);
      const chosen = new Set<number>();
      while (chosen.size < Math.min(lineCount, products.length))
        chosen.add(Math.floor(rand() * products.length));
      const quantities = [...chosen].map(() => (rand() < 0.75 ? 1 : intBetween(rand, 2, 4)));
      const refunded = rand() < 0.03;
      if (placedAt > now) continue; // keep the draws deterministic, skip the future
      const orderId = randomUUID();
      let total = 0;
      [...chosen].forEach((index, n) => {
        const product = products[index] as { id: string; priceCents: number };
        const quantity = quantities[n] as number;
        total += quantity * product.priceCents;
        lines.push({
          orderId,
          productId: product.id,
          quantity,
          unitPriceCents: product.priceCents,
        });
      });
      orders.push({
        id: orderId,
        businessId,
        status: refunded ? 'refunded' : 'completed',
        totalCents: total,
        refundedCents: refunded ? total : 0,
        placedAt,
      });
    }
  }
  await prisma.$transaction([
    prisma.order.createMany({ data: orders.map((o) => ({ ...o, createdAt: o.placedAt })) }),
    prisma.orderLine.createMany({ data: lines }),
  ]);
  return orders.length;
}
