// The demo data set, as a function so tests can seed a database of their own:
//   await seed({ prisma, log: () => {}, resolveFirebaseUid: async (u) => `uid-${u.email}` })
// Idempotent: businesses, products, users and memberships are upserted, orders
// are only generated for a business that has none, and a seed API key is only
// created when no live key of that name exists. Key secrets are never stored:
// only their SHA-256 hash and display prefix; a new key is returned (and
// logged) once.
import type { Db } from '@flowpos/db';
import { displayPrefix, generateApiKey, hashApiKey } from '@flowpos/core/keys/api-key';
import { ROLE_SCOPES, type Role } from '@flowpos/core/roles';
import { BUSINESSES } from './seed/businesses.ts';
import { curlInitializeExample } from './seed/curl-example.ts';
import { emulatorFirebaseUid } from './seed/emulator.ts';
import { DEMO_KEY, SEED_KEYS, type KeyDef } from './seed/keys.ts';
import { generateOrders } from './seed/orders.ts';
import { USERS } from './seed/users.ts';

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
