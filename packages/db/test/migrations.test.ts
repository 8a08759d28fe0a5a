// The migrations and the Prisma schema must describe the same database: apply
// every migration to an empty PostgreSQL database, then create and read every
// model through the generated client. Also the same on PGlite (embedded).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, MIGRATIONS_DIR, type Db } from '@flowpos/db';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';

const migrationNames = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** Creates and reads back one row of every model; returns nothing, asserts everything. */
async function exerciseEveryModel(prisma: Db): Promise<void> {
  const business = await prisma.business.create({
    data: { name: 'Drift Test Cafe', currency: 'EUR', timeZone: 'Europe/Paris' },
  });
  expect(business).toMatchObject({ timeZone: 'Europe/Paris', allowBackorders: false });
  expect(business.id).toMatch(/^[0-9a-f-]{36}$/);
  expect((await prisma.business.findUniqueOrThrow({ where: { id: business.id } })).currency).toBe(
    'EUR',
  );

  const user = await prisma.user.create({
    data: {
      firebaseUid: `uid-${business.id}`,
      email: `drift-${business.id}@flowpos.test`,
      displayName: 'Drift',
    },
  });
  const readUser = await prisma.user.findUniqueOrThrow({ where: { email: user.email } });
  expect(readUser).toMatchObject({
    firebaseUid: user.firebaseUid,
    isPlatformOperator: false,
    displayName: 'Drift',
  });

  await prisma.businessUser.create({
    data: { businessId: business.id, userId: user.id, role: 'tenant_developer' },
  });
  const membership = await prisma.businessUser.findUniqueOrThrow({
    where: { businessId_userId: { businessId: business.id, userId: user.id } },
    include: { user: true, business: true },
  });
  expect(membership).toMatchObject({ role: 'tenant_developer', isActive: true });
  expect(membership.user.email).toBe(user.email);

  const expiresAt = new Date('2030-01-02T03:04:05.678Z');
  const key = await prisma.apiKey.create({
    data: {
      businessId: business.id,
      name: 'drift key',
      prefix: 'fp_mcp_abcd',
      hash: createHash('sha256').update(business.id).digest('hex'),
      role: 'merchant',
      scopes: ['pos:read', 'pos:intents', 'sessions:read'],
      expiresAt,
      createdById: user.id,
    },
  });
  const readKey = await prisma.apiKey.findUniqueOrThrow({
    where: { hash: key.hash },
    include: { createdBy: true },
  });
  expect(readKey.scopes).toEqual(['pos:read', 'pos:intents', 'sessions:read']);
  expect(readKey).toMatchObject({
    isActive: true,
    revokedAt: null,
    lastUsedAt: null,
    role: 'merchant',
  });
  expect(readKey.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
  expect(readKey.createdBy?.id).toBe(user.id);
  const revokedAt = new Date();
  await prisma.apiKey.update({
    where: { id: key.id },
    data: { isActive: false, revokedAt, lastUsedAt: revokedAt },
  });
  expect(
    (await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt?.getTime(),
  ).toBe(revokedAt.getTime());

  const details = { reason: 'drift', nested: { n: 1, list: ['a', 'b'] }, ok: true };
  const event = await prisma.auditEvent.create({
    data: {
      businessId: business.id,
      action: 'api_key.create',
      outcome: 'success',
      actorKind: 'user',
      actorId: user.id,
      details,
    },
  });
  expect((await prisma.auditEvent.findUniqueOrThrow({ where: { id: event.id } })).details).toEqual(
    details,
  );
  const bare = await prisma.auditEvent.create({
    data: { action: 'auth.failed', outcome: 'denied', actorKind: 'anonymous' },
  });
  expect((await prisma.auditEvent.findUniqueOrThrow({ where: { id: bare.id } })).details).toEqual(
    {},
  );

  const record = await prisma.oAuthRecord.create({
    data: { kind: 'RefreshToken', id: 'h1', payload: { kind: 'RefreshToken' }, grantId: 'g1' },
  });
  expect(record).toMatchObject({ grantId: 'g1', consumedAt: null, uid: null });
  const grant = await prisma.oAuthGrant.create({
    data: {
      id: 'g1',
      clientId: 'https://client.example/doc.json',
      clientName: 'Drift Client',
      userId: user.id,
      businessId: business.id,
      scopes: ['pos:read'],
    },
    include: { user: true, business: true },
  });
  expect(grant).toMatchObject({ revokedAt: null, lastUsedAt: null, scopes: ['pos:read'] });
  const consent = await prisma.oAuthConsent.create({
    data: {
      uid: 'u1',
      clientId: 'c1',
      clientName: 'Drift Client',
      clientVerified: false,
      redirectUri: 'http://127.0.0.1/cb',
      scopes: ['pos:read'],
      grantedScopes: [],
      expiresAt,
    },
  });
  expect(consent).toMatchObject({ denied: false, decidedAt: null, ticketHash: null });

  const product = await prisma.product.create({
    data: {
      businessId: business.id,
      sku: 'DRIFT-1',
      name: 'Flat White',
      category: 'Coffee',
      priceCents: 450,
      stock: 12,
    },
  });
  expect(
    await prisma.product.findUniqueOrThrow({
      where: { businessId_sku: { businessId: business.id, sku: 'DRIFT-1' } },
    }),
  ).toMatchObject({
    name: 'Flat White',
    category: 'Coffee',
    priceCents: 450,
    stock: 12,
    isActive: true,
  });

  const order = await prisma.order.create({
    data: {
      businessId: business.id,
      totalCents: 900,
      lines: { create: [{ productId: product.id, quantity: 2, unitPriceCents: 450 }] },
    },
  });
  const readOrder = await prisma.order.findUniqueOrThrow({
    where: { id: order.id },
    include: { lines: { include: { product: true } } },
  });
  expect(readOrder).toMatchObject({ status: 'completed', totalCents: 900, refundedCents: 0 });
  await prisma.order.update({
    where: { id: order.id },
    data: { status: 'partially_refunded', refundedCents: 100 },
  });
  await expect(
    prisma.order.update({ where: { id: order.id }, data: { refundedCents: 901 } }),
  ).rejects.toThrow(); // CHECK: refunds never exceed the total
  expect(readOrder.lines).toHaveLength(1);
  expect(readOrder.lines[0]).toMatchObject({ quantity: 2, unitPriceCents: 450 });
  expect(readOrder.lines[0]?.product.sku).toBe('DRIFT-1');

  const payload = { lines: [{ productId: product.id, quantity: 1 }], totalCents: 450 };
  const intent = await prisma.intent.create({
    data: {
      businessId: business.id,
      kind: 'refund',
      payload,
      note: 'wrong milk',
      createdBy: `api_key:${key.id}`,
      orderId: order.id,
    },
  });
  await prisma.intent.update({
    where: { id: intent.id },
    data: { status: 'approved', decidedById: user.id, decidedAt: new Date() },
  });
  const readIntent = await prisma.intent.findUniqueOrThrow({
    where: { id: intent.id },
    include: { order: true, decidedBy: true },
  });
  expect(readIntent).toMatchObject({ kind: 'refund', status: 'approved', note: 'wrong milk' });
  expect(readIntent.payload).toEqual(payload);
  expect(readIntent.order?.id).toBe(order.id);
  expect(readIntent.decidedBy?.id).toBe(user.id);

  // The referential actions declared in the schema exist in the SQL.
  await expect(prisma.product.delete({ where: { id: product.id } })).rejects.toThrow(); // Restrict
  await prisma.order.delete({ where: { id: order.id } }); // lines cascade, intent.orderId set null
  expect(await prisma.orderLine.count({ where: { orderId: order.id } })).toBe(0);
  expect((await prisma.intent.findUniqueOrThrow({ where: { id: intent.id } })).orderId).toBeNull();
  await prisma.user.delete({ where: { id: user.id } }); // memberships cascade, key creator set null
  expect(await prisma.businessUser.count({ where: { userId: user.id } })).toBe(0);
  expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).createdById).toBeNull();
  await prisma.business.delete({ where: { id: business.id } }); // the rest cascades
  expect(await prisma.product.count({ where: { businessId: business.id } })).toBe(0);
  expect(await prisma.apiKey.count({ where: { businessId: business.id } })).toBe(0);
  expect(await prisma.auditEvent.count({ where: { businessId: business.id } })).toBe(0);
}

describe('migrations on PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('migrations');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('records every migration in _prisma_migrations with its sha256 checksum', async () => {
    expect(migrationNames.length).toBeGreaterThan(0);
    const rows = await db.prisma.$queryRawUnsafe<
      {
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        rolled_back_at: Date | null;
      }[]
    >(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      const sql = readFileSync(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it('applies nothing the second time', async () => {
    expect(await db.migrate()).toEqual([]);
    const [{ count }] = (await db.prisma.$queryRawUnsafe<{ count: bigint | number }[]>(
      'SELECT count(*) AS count FROM "_prisma_migrations"',
    )) as [{ count: bigint | number }];
    expect(Number(count)).toBe(migrationNames.length);
  });

  it('creates and reads every model through the generated client', async () => {
    await exerciseEveryModel(db.prisma);
  });
});

describe('migrations on PGlite (embedded)', () => {
  it('applies the same migrations in memory and serves every model', async () => {
    const db = createDatabase('pglite:memory');
    try {
      expect(await db.migrate()).toEqual(migrationNames);
      expect(await db.migrate()).toEqual([]);
      await exerciseEveryModel(db.prisma);
    } finally {
      await db.close();
    }
  });
});
