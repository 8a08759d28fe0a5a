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

it('writes a batch in one statement and keeps rows whose business is gone', async () => {
  const business = await db.prisma.business.create({ data: { name: 'Audit Biz' } });
  const audit = createAuditLog(db.prisma, {
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
  const rows = await db.prisma.auditEvent.findMany({ orderBy: { action: 'asc' } });
  expect(rows.map((r) => [r.action, r.businessId, r.outcome])).toEqual([
    ['a.one', business.id, 'success'],
    ['a.three', null, 'denied'],
    ['a.two', null, 'failure'],
  ]);
  expect(rows[0]?.details).toEqual({ n: 1 });
  expect(rows[2]?.details).toEqual({ nested: { ok: true } });
});
