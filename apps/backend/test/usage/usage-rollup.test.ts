// Usage, end to end: tool calls of both eras (an SDK v1 client on a 2025
// session, an SDK v2 client on 2026-07-28, fast paths and SDK paths) are
// counted in memory, flushed as hour and day rows with the right counts and
// error kinds, and read back through core's queries under their
// authorization. Several instances' flushes add up in the same rows, a row
// the database refuses never stops the rest of its batch, and the sweeper
// keeps hour rows 48 h and day rows 90 days. On PostgreSQL and on PGlite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUsageRecorder,
  credentialUsage,
  DAY_MS,
  emptyAggregate,
  HOUR_MS,
  loadActorByUserId,
  sweepUsage,
  upsertUsageRows,
  usageOverview,
  type ToolCallObservation,
  type UsageRow,
} from '@flowpos/core';
import { createBusiness, createKey, createUser, unique } from '../support/fixtures.ts';
import { DATABASE_KINDS, useHarnessOn } from '../support/harness.ts';
import { connectClient, connectModernClient } from '../support/mcp-client.ts';

describe.each(DATABASE_KINDS)('usage on %s', (kind) => {
  // Flushed by the tests themselves (a long interval: no timer races).
  const h = useHarnessOn(kind, `usage-${kind}`, { env: { USAGE_FLUSH_SECONDS: '300' } });
  let business: Awaited<ReturnType<typeof createBusiness>>;
  let other: Awaited<ReturnType<typeof createBusiness>>;
  let key: Awaited<ReturnType<typeof createKey>>;
  let merchantId: string;
  let outsiderId: string;
  let developerId: string;

  beforeAll(async () => {
    business = await createBusiness(h.db, unique('Usage Cafe'));
    other = await createBusiness(h.db, unique('Other Cafe'));
    key = await createKey(h.db, { businessId: business.business.id });
    merchantId = (
      await createUser(h.db, {
        memberships: [{ businessId: business.business.id, role: 'merchant' }],
        label: 'usage-merchant',
      })
    ).id;
    outsiderId = (
      await createUser(h.db, {
        memberships: [{ businessId: other.business.id, role: 'merchant' }],
        label: 'usage-outsider',
      })
    ).id;
    developerId = (
      await createUser(h.db, {
        memberships: [{ businessId: business.business.id, role: 'tenant_developer' }],
        label: 'usage-developer',
      })
    ).id;
  });

  const rows = (where: Record<string, unknown>) =>
    h.db.usageBucket.findMany({ where, orderBy: [{ tool: 'asc' }, { period: 'asc' }] });

  it('counts calls of both eras per tool, with errors by kind, and reads them back', async () => {
    const legacy = await connectClient(h.server.mcpUrl, key.key);
    const modern = await connectModernClient(h.server.mcpUrl, key.key);
    const product = business.products[0]!;
    try {
      for (let i = 0; i < 3; i++) await legacy.client.callTool({ name: 'list_products' });
      for (let i = 0; i < 2; i++) await modern.callTool({ name: 'list_products' });
      // Arguments that do not fit the schema: refused before the tool runs, on both eras.
      await legacy.client.callTool({ name: 'list_products', arguments: { limit: 'many' } });
      await modern.callTool({ name: 'list_products', arguments: { limit: -1 } });
      // Arguments the tool itself refuses (BAD_REQUEST) count as bad arguments too.
      await modern.callTool({ name: 'get_product', arguments: {} });
      // A failure of the call (CONFLICT: not enough stock).
      const tooMany = await legacy.client.callTool({
        name: 'create_sale_intent',
        arguments: { lines: [{ productId: product.id, quantity: 1000 }] },
      });
      expect(tooMany.isError).toBe(true);
      await modern.callTool({ name: 'whoami' });
    } finally {
      await legacy.close();
      await modern.close();
    }
    await h.server.services.usage!.flush();

    const credential = `key:${key.row.id}`;
    const found = await rows({ credential });
    const summary = found.map((r) => [
      r.tool,
      r.period,
      r.calls,
      r.refused,
      r.badArguments,
      r.failed,
    ]);
    expect(summary).toEqual([
      ['create_sale_intent', 'day', 1, 0, 0, 1],
      ['create_sale_intent', 'hour', 1, 0, 0, 1],
      ['get_product', 'day', 1, 0, 1, 0],
      ['get_product', 'hour', 1, 0, 1, 0],
      ['list_products', 'day', 7, 0, 2, 0],
      ['list_products', 'hour', 7, 0, 2, 0],
      ['whoami', 'day', 1, 0, 0, 0],
      ['whoami', 'hour', 1, 0, 0, 0],
    ]);
    const listHour = found.find((r) => r.tool === 'list_products' && r.period === 'hour')!;
    expect(listHour.businessId).toBe(business.business.id);
    expect(listHour.histogram.reduce((s, n) => s + n, 0)).toBe(7);
    expect(listHour.bucketStart.getTime() % HOUR_MS).toBe(0);
    expect(Date.now() - listHour.lastUsedAt.getTime()).toBeLessThan(HOUR_MS);

    // Read back as the key's page and the overview do, under their authorization.
    const merchant = await loadActorByUserId(h.db, merchantId);
    const view = await credentialUsage(h.db, merchant, {
      kind: 'key',
      id: key.row.id,
      range: '48h',
    });
    expect(view.totals).toEqual({ calls: 10, refused: 0, badArguments: 3, failed: 1 });
    expect(view.series).toHaveLength(48);
    expect(view.series.at(-1)?.calls).toBe(10);
    const list = view.tools.find((t) => t.tool === 'list_products')!;
    expect(list.calls).toBe(7);
    expect(list.p50Ms).toBeGreaterThan(0);
    expect(list.p95Ms).toBeGreaterThanOrEqual(list.p50Ms!);
    const daily = await credentialUsage(h.db, merchant, {
      kind: 'key',
      id: key.row.id,
      range: '90d',
    });
    expect(daily.series).toHaveLength(90);
    expect(daily.totals.calls).toBe(10);
    const overview = await usageOverview(h.db, merchant, {
      businessId: business.business.id,
      range: '48h',
    });
    expect(overview.topCredentials[0]).toMatchObject({
      credential,
      label: `key ${key.row.name}`,
      calls: 10,
    });
    expect(overview.errors.map((e) => e.tool).sort()).toEqual([
      'create_sale_intent',
      'get_product',
      'list_products',
    ]);

    // Another business's key is "not found" (no oracle); a member who is not a merchant is refused.
    const outsider = await loadActorByUserId(h.db, outsiderId);
    await expect(
      credentialUsage(h.db, outsider, { kind: 'key', id: key.row.id, range: '48h' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const developer = await loadActorByUserId(h.db, developerId);
    await expect(
      credentialUsage(h.db, developer, { kind: 'key', id: key.row.id, range: '48h' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // A connected app: the person who connected it sees it, another business's merchant does not.
    const grant = await h.db.oAuthGrant.create({
      data: {
        id: `grant-usage-${Date.now()}`,
        clientId: 'usage-client',
        clientName: 'Usage client',
        userId: developerId,
        businessId: business.business.id,
        scopes: ['pos:read'],
      },
    });
    const grantUsage = { kind: 'grant', id: grant.id, range: '48h' } as const;
    await expect(credentialUsage(h.db, developer, grantUsage)).resolves.toMatchObject({
      credential: `grant:${grant.id}`,
    });
    await expect(credentialUsage(h.db, outsider, grantUsage)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(usageOverview(h.db, outsider, { range: '48h' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      credentialUsage(h.db, merchant, { kind: 'key', id: 'not-a-key', range: '48h' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  const call = (over: Partial<ToolCallObservation>): ToolCallObservation => ({
    businessId: other.business.id,
    credential: 'key:two-instances',
    tool: 'list_orders',
    outcome: 'ok',
    durationMs: 4,
    ...over,
  });

  it('adds the flushes of several instances into the same rows', async () => {
    const a = createUsageRecorder(h.db, { flushIntervalMs: 3_600_000 });
    const b = createUsageRecorder(h.db, { flushIntervalMs: 3_600_000 });
    try {
      a.record(call({}));
      a.record(call({ outcome: 'refused', durationMs: 40 }));
      b.record(call({ outcome: 'failed', durationMs: 400 }));
      await Promise.all([a.flush(), b.flush()]);
      b.record(call({}));
      await b.flush();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    const [day, hour] = await rows({ credential: 'key:two-instances' });
    for (const row of [day!, hour!]) {
      expect([row.calls, row.refused, row.badArguments, row.failed]).toEqual([4, 1, 0, 1]);
      expect(row.durationMsSum).toBeCloseTo(448);
      expect(row.histogram.reduce((s, n) => s + n, 0)).toBe(4);
    }
  });

  it('stores a hostile tool name safely, sets aside a row the database refuses and drops the counts of a business gone, writing the rest', async () => {
    const rejected: string[] = [];
    const recorder = createUsageRecorder(h.db, {
      flushIntervalMs: 3_600_000,
      onRejected: (row) => rejected.push(row.businessId),
    });
    const gone = '00000000-0000-4000-8000-000000000000'; // no such business (deleted meanwhile)
    recorder.record(call({ credential: 'key:hostile', tool: 'x\u0000y\uD800__proto__' }));
    recorder.record(call({ credential: 'key:hostile', businessId: gone }));
    recorder.record(call({ credential: 'key:hostile', businessId: 'not-a-uuid' }));
    recorder.record(call({ credential: 'key:hostile', tool: 'fine' }));
    await recorder.close();
    const stored = await rows({ credential: 'key:hostile', period: 'hour' });
    expect(stored.map((r) => r.tool)).toEqual(['fine', 'x\uFFFDy\uFFFD__proto__']);
    // The hour and the day row of the call that is not a business id; none for the business gone.
    expect(rejected).toEqual(['not-a-uuid', 'not-a-uuid']);
    expect(await rows({ credential: 'key:hostile', businessId: gone })).toEqual([]);
  });

  it('sweeps hour rows past the hourly retention and day rows past the daily one', async () => {
    const now = Date.now();
    const hour = now - (now % HOUR_MS);
    const day = now - (now % DAY_MS);
    const row = (period: 'hour' | 'day', bucketStart: number): UsageRow => ({
      ...emptyAggregate({
        businessId: other.business.id,
        credential: 'key:sweep',
        tool: 'whoami',
        bucketStart,
      }),
      calls: 1,
      lastUsedAt: bucketStart,
      period,
    });
    await upsertUsageRows(h.db, [
      row('hour', hour - 47 * HOUR_MS),
      row('hour', hour - 50 * HOUR_MS),
      row('day', day - 89 * DAY_MS),
      row('day', day - 92 * DAY_MS),
    ]);
    const swept = await sweepUsage(h.db, { hourlyMs: 48 * HOUR_MS, dailyMs: 90 * DAY_MS }, now);
    expect(swept).toBeGreaterThanOrEqual(2);
    const left = await rows({ credential: 'key:sweep' });
    expect(left.map((r) => [r.period, r.bucketStart.getTime()]).sort()).toEqual(
      [
        ['day', day - 89 * DAY_MS],
        ['hour', hour - 47 * HOUR_MS],
      ].sort(),
    );
  });
});

describe('usage switched off', () => {
  const h = useHarnessOn('embedded', 'usage-off', { env: { USAGE_ENABLED: 'false' } });
  afterAll(() => undefined);

  it('counts nothing: no recorder, no rows', async () => {
    const { business } = await createBusiness(h.db, unique('Quiet Cafe'));
    const { key } = await createKey(h.db, { businessId: business.id });
    expect(h.server.services.usage).toBeUndefined();
    const modern = await connectModernClient(h.server.mcpUrl, key);
    try {
      await modern.callTool({ name: 'whoami' });
    } finally {
      await modern.close();
    }
    expect(await h.db.usageBucket.count()).toBe(0);
  });
});
