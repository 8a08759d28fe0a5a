// audit.list with the audit page's filters: the same where clause as the
// export (action prefix, outcome, actor, dates in the business's zone), and
// the zone it read the dates in.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWorld, expectCode, type World } from '../support/fixtures.ts';

let w: World;
beforeAll(async () => {
  w = await createWorld('apiauditfilters');
  await w.db.prisma.business.update({
    where: { id: w.businessA.id },
    data: { timeZone: 'America/New_York' },
  });
  const ev = (action: string, outcome: string, at: string, actorId: string | null) => ({
    businessId: w.businessA.id,
    action,
    outcome,
    actorKind: 'user',
    actorId,
    createdAt: new Date(at),
  });
  await w.db.prisma.auditEvent.createMany({
    data: [
      // 03:00 UTC on 10 May is still 9 May in New York.
      ev('key.created', 'success', '2026-05-10T03:00:00Z', w.merchantA.id),
      ev('key.revoked', 'denied', '2026-05-10T15:00:00Z', `user:${w.merchantA.id}`),
      ev('tool.called', 'failure', '2026-05-11T15:00:00Z', 'key:abc'),
    ],
  });
});
afterAll(async () => {
  await w?.close();
});

const actions = async (filters: Record<string, string>) => {
  const page = await w
    .caller(w.merchantA)
    .audit.list({ businessId: w.businessA.id, limit: 50, ...filters });
  return { zone: page.timeZone, actions: page.items.map((i) => i.action) };
};

it('filters by action prefix, outcome, actor and local dates, and names the zone', async () => {
  expect(await actions({ from: '2026-05-10', to: '2026-05-10' })).toEqual({
    zone: 'America/New_York',
    actions: ['key.revoked'],
  });
  expect((await actions({ from: '2026-05-09', to: '2026-05-11', action: 'key.' })).actions).toEqual(
    ['key.revoked', 'key.created'],
  );
  expect((await actions({ outcome: 'failure' })).actions).toEqual(['tool.called']);
  expect((await actions({ actor: 'key:abc' })).actions).toEqual(['tool.called']);
  // A user is recorded bare or as user:<id>; their e-mail matches both.
  const byEmail = await actions({ actor: w.merchantA.email, to: '2026-05-31' });
  expect(byEmail.actions).toEqual(['key.revoked', 'key.created']);
});

it('refuses bad filters and keeps the page check', async () => {
  await expectCode(
    w.caller(w.merchantA).audit.list({ businessId: w.businessA.id, limit: 5, from: 'soon' }),
    'BAD_REQUEST',
  );
  await expectCode(
    w.caller(w.merchantB).audit.list({ businessId: w.businessA.id, limit: 5, action: 'key.' }),
    'FORBIDDEN',
  );
  const everywhere = await w.caller(w.operator).audit.list({ limit: 5, outcome: 'denied' });
  expect(everywhere.timeZone).toBe('UTC');
});
