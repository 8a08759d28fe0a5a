import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAuditLog } from '../src/audit.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('audit');
});
afterAll(async () => {
  await db.drop();
});

it.each([
  ['through Prisma', false],
  ['as a prepared statement', true],
])(
  'writes a batch in one statement and keeps rows whose business is gone (%s)',
  async (_, prepared) => {
    await db.prisma.auditEvent.deleteMany({
      where: { action: { in: ['a.one', 'a.two', 'a.three'] } },
    });
    const business = await db.prisma.business.create({ data: { name: 'Audit Biz' } });
    const audit = createAuditLog(db.prisma, {
      ...(prepared ? { sql: db.sql } : {}),
      onError: (e) => {
        throw e;
      },
    });
    const gone = randomUUID();
    audit.record({
      businessId: business.id,
      action: 'a.one',
      outcome: 'success',
      actorKind: 'user',
      actorId: 'u1',
      details: { n: 1 },
    });
    audit.record({
      businessId: gone,
      action: 'a.two',
      outcome: 'failure',
      actorKind: 'api_key',
      details: { nested: { ok: true } },
    });
    audit.record({ action: 'a.three', outcome: 'denied', actorKind: 'system' });
    await audit.close();
    const rows = await db.prisma.auditEvent.findMany({
      where: { action: { in: ['a.one', 'a.two', 'a.three'] } },
      orderBy: { action: 'asc' },
    });
    expect(rows.map((r) => [r.action, r.businessId, r.outcome])).toEqual([
      ['a.one', business.id, 'success'],
      ['a.three', null, 'denied'],
      ['a.two', null, 'failure'],
    ]);
    expect(rows[0]?.details).toEqual({ n: 1 });
    expect(rows[2]?.details).toEqual({ nested: { ok: true } });
  },
);

it('keeps events while PostgreSQL refuses writes, writes them once it accepts again, and reports what overflows', async () => {
  const errors: unknown[] = [];
  const dropped: number[] = [];
  const audit = createAuditLog(db.prisma, {
    maxBuffered: 5,
    // Retries are driven by flush() below, not by the timer.
    flushIntervalMs: 60_000,
    maxRetryDelayMs: 60_000,
    onError: (e) => errors.push(e),
    onDropped: (n) => dropped.push(n),
  });
  const count = (prefix: string) =>
    db.prisma.auditEvent.count({ where: { action: { startsWith: prefix } } });
  // A real fault: the table is not there while the writes happen.
  const breakTable = () =>
    db.prisma.$executeRawUnsafe('ALTER TABLE audit_event RENAME TO audit_event_away');
  const repairTable = () =>
    db.prisma.$executeRawUnsafe('ALTER TABLE audit_event_away RENAME TO audit_event');
  try {
    await breakTable();
    for (let i = 0; i < 3; i++)
      audit.record({ action: `fault.kept.${i}`, outcome: 'success', actorKind: 'system' });
    await audit.flush();
    expect(errors).toHaveLength(1);
    await repairTable();
    await audit.flush();
    expect(await count('fault.kept.')).toBe(3);
    expect(dropped).toEqual([]);

    await breakTable();
    for (let i = 0; i < 4; i++)
      audit.record({ action: `fault.over.${i}`, outcome: 'success', actorKind: 'system' });
    await audit.flush();
    for (let i = 4; i < 8; i++)
      audit.record({ action: `fault.over.${i}`, outcome: 'success', actorKind: 'system' });
    // 8 waiting, room for 5: the 3 oldest are dropped and reported.
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(3);
    await repairTable();
    await audit.flush();
    const kept = await db.prisma.auditEvent.findMany({
      where: { action: { startsWith: 'fault.over.' } },
      orderBy: { action: 'asc' },
    });
    expect(kept.map((r) => r.action)).toEqual([3, 4, 5, 6, 7].map((i) => `fault.over.${i}`));
  } finally {
    await repairTable().catch(() => undefined);
    await audit.close();
  }
});

it('what is still unwritten when the log closes during an outage is reported as dropped', async () => {
  const dropped: number[] = [];
  const audit = createAuditLog(db.prisma, {
    onError: () => undefined,
    onDropped: (n) => dropped.push(n),
  });
  await db.prisma.$executeRawUnsafe('ALTER TABLE audit_event RENAME TO audit_event_away');
  try {
    audit.record({ action: 'fault.closing', outcome: 'success', actorKind: 'system' });
    audit.record({ action: 'fault.closing', outcome: 'success', actorKind: 'system' });
    await audit.close();
    expect(dropped).toEqual([2]);
  } finally {
    await db.prisma.$executeRawUnsafe('ALTER TABLE audit_event_away RENAME TO audit_event');
  }
});

it('a business deleted while its event is being written: the row is written at once, without it', async () => {
  const business = await db.prisma.business.create({ data: { name: 'Deleted Mid-Write' } });
  const errors: unknown[] = [];
  const audit = createAuditLog(db.prisma, {
    flushIntervalMs: 60_000,
    onError: (e) => errors.push(e),
  });
  // Another transaction deletes the business and holds its commit until the
  // audit write is waiting on it.
  let commit!: () => void;
  let deleted!: () => void;
  const held = new Promise<void>((resolve) => (commit = resolve));
  const hasDeleted = new Promise<void>((resolve) => (deleted = resolve));
  const deleting = db.prisma.$transaction(
    async (tx) => {
      await tx.business.delete({ where: { id: business.id } });
      deleted();
      await held;
    },
    { timeout: 30_000 },
  );
  await hasDeleted;
  audit.record({
    businessId: business.id,
    action: 'a.raced',
    outcome: 'success',
    actorKind: 'system',
  });
  const written = audit.flush();
  await expect
    .poll(async () => {
      const waiting = await db.prisma.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'
          AND query LIKE '%INSERT INTO audit_event%'`;
      return Number(waiting[0]?.n ?? 0);
    })
    .toBe(1);
  commit();
  await deleting;
  await written;
  expect(errors).toEqual([]);
  const row = await db.prisma.auditEvent.findFirst({ where: { action: 'a.raced' } });
  expect(row?.businessId).toBeNull();
  await audit.close();
});

it('stores what a caller sent safely: NUL, lone surrogates, prototype keys and a business id that is not a UUID', async () => {
  const audit = createAuditLog(db.prisma, {
    onError: (e) => {
      throw e;
    },
  });
  const poisoned = JSON.parse(
    '{"name":"evil\\u0000client","half":"\\ud800","__proto__":{"admin":true},"k\\u0000":1}',
  ) as Record<string, unknown>;
  audit.record({
    businessId: 'not-a-uuid\u0000',
    action: 'poison.stored\u0000',
    outcome: 'success',
    actorKind: 'user',
    actorId: 'actor\udc00',
    details: poisoned,
  });
  for (let i = 0; i < 5; i++)
    audit.record({ action: `poison.after.${i}`, outcome: 'success', actorKind: 'system' });
  await audit.close();
  const row = await db.prisma.auditEvent.findFirst({ where: { action: 'poison.stored\uFFFD' } });
  expect(row).toMatchObject({ businessId: null, actorId: 'actor\uFFFD' });
  expect(row?.details).toEqual({
    name: 'evil\uFFFDclient',
    half: '\uFFFD',
    'k\uFFFD': 1,
    businessId: 'not-a-uuid\uFFFD',
  });
  expect(
    await db.prisma.auditEvent.count({ where: { action: { startsWith: 'poison.after.' } } }),
  ).toBe(5);
});

it.each([
  ['through Prisma', false],
  ['as a prepared statement', true],
])(
  'a row PostgreSQL refuses for its data is set aside and reported; every other row of its batch is written (%s)',
  async (_, prepared) => {
    const rejected: string[] = [];
    const errors: unknown[] = [];
    await db.prisma.auditEvent.deleteMany({ where: { action: { startsWith: 'split.' } } });
    const audit = createAuditLog(db.prisma, {
      ...(prepared ? { sql: db.sql } : {}),
      flushIntervalMs: 60_000,
      onError: (e) => errors.push(e),
      onRejected: (entry) => rejected.push(entry.action),
    });
    // A real refusal on the data: a check constraint the one bad row breaks.
    await db.prisma.$executeRawUnsafe(
      `ALTER TABLE audit_event ADD CONSTRAINT refuse_bad_row CHECK (action <> 'split.bad')`,
    );
    try {
      for (let i = 0; i < 7; i++)
        audit.record({ action: `split.good.${i}`, outcome: 'success', actorKind: 'system' });
      audit.record({ action: 'split.bad', outcome: 'success', actorKind: 'system' });
      for (let i = 7; i < 12; i++)
        audit.record({ action: `split.good.${i}`, outcome: 'success', actorKind: 'system' });
      await audit.flush();
      expect(rejected).toEqual(['split.bad']);
      expect(errors).toEqual([]);
      expect(
        await db.prisma.auditEvent.count({ where: { action: { startsWith: 'split.good.' } } }),
      ).toBe(12);
      // Nothing is kept for a retry: the next write carries only new rows.
      audit.record({ action: 'split.later', outcome: 'success', actorKind: 'system' });
      await audit.flush();
      expect(rejected).toEqual(['split.bad']);
      expect(await db.prisma.auditEvent.count({ where: { action: 'split.later' } })).toBe(1);
    } finally {
      await db.prisma.$executeRawUnsafe('ALTER TABLE audit_event DROP CONSTRAINT refuse_bad_row');
      await audit.close();
    }
  },
);

it('committed(): resolves once the entry is written, and the callers waiting on one INSERT share the next', async () => {
  const statements: number[] = [];
  let release: () => void = () => {};
  const firstHeld = new Promise<void>((resolve) => (release = resolve));
  // The real database, with the first INSERT held back until released.
  const held = new Proxy(db.prisma, {
    get(target, key, receiver) {
      if (key !== '$executeRawUnsafe') return Reflect.get(target, key, receiver) as unknown;
      return async (sql: string, ...values: unknown[]) => {
        statements.push(JSON.parse(values[0] as string).length);
        if (statements.length === 1) await firstHeld;
        return target.$executeRawUnsafe(sql, ...values);
      };
    },
  });
  const audit = createAuditLog(held, { flushIntervalMs: 60_000 });
  const count = () => db.prisma.auditEvent.count({ where: { action: { startsWith: 'group.' } } });

  audit.record({ action: 'group.first', outcome: 'success', actorKind: 'system' });
  let firstDone = false;
  const first = audit.committed().then(() => (firstDone = true));
  await expect.poll(() => statements.length).toBe(1);
  const later = Array.from({ length: 10 }, (_, i) => {
    audit.record({ action: `group.later${i}`, outcome: 'success', actorKind: 'system' });
    return audit.committed();
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(firstDone).toBe(false);
  expect(await count()).toBe(0);
  release();
  await first;
  expect(await count()).toBeGreaterThanOrEqual(1);
  await Promise.all(later);
  expect(await count()).toBe(11);
  // One INSERT for the first entry, one shared by the ten that waited behind it.
  expect(statements).toEqual([1, 10]);
  // Nothing left: committed() answers without a statement.
  await audit.committed();
  expect(statements).toHaveLength(2);
  await audit.close();
});
