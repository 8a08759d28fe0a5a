// What "answered only once its audit event is written" costs a tools/call:
// the product's audit log, in process, against the bench's PostgreSQL, fed by
// as many concurrent callers as the tools/call sections use. "after commit"
// is the product (record, then await committed(): a group commit); "batched"
// records and goes on (the 50 ms batches a call used not to wait for); the
// second "after commit" log is the A/A pair. Rounds interleave, order rotating.
import { createAuditLog, type AuditLog } from '@flowpos/core';
import { createDatabase, type SqlClient } from '@flowpos/db';
import type { CpuMeters } from '../lib/side-cpu.ts';
import { cpuPerRequest } from '../lib/side-cpu.ts';
import type { Report } from '../lib/report.ts';
import type { Settings } from '../lib/settings.ts';
import { median, percentile } from '../lib/stats.ts';

const S = '3c audit before the answer';
type Target = 'after commit' | 'batched' | 'after commit B';
const TARGETS: Target[] = ['after commit', 'batched', 'after commit B'];

interface Round {
  eventsPerSecond: number;
  /** Wait per call for its event to be written, ms. */
  waits: number[];
  /** PostgreSQL CPU per event, µs. */
  postgresUs: number;
}

async function round(
  audit: AuditLog,
  waitForCommit: boolean,
  clients: number,
  /** Events each caller records: a fixed count, so the batched log (which never waits) is not a flood. */
  perClient: number,
  businessId: string,
  meters: CpuMeters,
): Promise<Round> {
  const before = await meters.snapshot(undefined);
  const waits: number[] = [];
  let events = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; i < perClient; i++) {
        const t0 = performance.now();
        audit.record({
          businessId,
          action: 'mcp.tools_call',
          outcome: 'success',
          actorKind: 'api_key',
          actorId: `key:bench-${client}`,
          details: { tool: 'get_product', sessionId: null, durationMs: 1.5 },
        });
        if (waitForCommit) await audit.committed();
        else await new Promise((resolve) => setImmediate(resolve));
        waits.push(performance.now() - t0);
        events++;
      }
    }),
  );
  await audit.flush();
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuPerRequest(before, await meters.snapshot(undefined), events);
  return {
    eventsPerSecond: events / seconds,
    waits,
    postgresUs: (cpu.postgres ?? 0) * 1000,
  };
}

export async function benchAuditCommit(opts: {
  report: Report;
  settings: Settings;
  /** The bench's database: the audit logs get a client of their own, as a backend has. */
  databaseUrl: string;
  meters: CpuMeters;
  businessId: string;
}): Promise<void> {
  const { report, settings, meters, businessId } = opts;
  // Their own pool: the meters' connection is left out of PostgreSQL's CPU.
  const database = createDatabase(opts.databaseUrl);
  const db = database.prisma;
  const statements: Record<Target, number> = {
    'after commit': 0,
    batched: 0,
    'after commit B': 0,
  };
  // As the product builds it: the INSERT a prepared statement on the raw client, counted here.
  const counted = (target: Target): SqlClient => ({
    query: <T>(q: Parameters<SqlClient['query']>[0]) => {
      statements[target]++;
      return database.sql.query<T>(q);
    },
  });
  const logs = new Map(TARGETS.map((t) => [t, createAuditLog(db, { sql: counted(t) })] as const));
  const rounds = new Map<Target, Round[]>(TARGETS.map((t) => [t, []]));
  const events = new Map<Target, number>(TARGETS.map((t) => [t, 0]));
  for (let r = 0; r < settings.rounds; r++) {
    for (let i = 0; i < TARGETS.length; i++) {
      const t = TARGETS[(i + r) % TARGETS.length] as Target;
      const result = await round(
        logs.get(t) as AuditLog,
        t !== 'batched',
        settings.clients,
        Math.max(50, Math.round(settings.roundMs / 15)),
        businessId,
        meters,
      );
      rounds.get(t)?.push(result);
      events.set(t, (events.get(t) ?? 0) + result.waits.length);
    }
  }
  for (const log of logs.values()) await log.close();
  await db.$executeRawUnsafe(
    `DELETE FROM audit_event WHERE business_id = $1::uuid AND actor_id LIKE 'key:bench-%'`,
    businessId,
  );
  await database.close();

  const of = (t: Target) => rounds.get(t) ?? [];
  const ratios = (a: Target, b: Target, pick: (x: Round) => number) =>
    of(a).map((x, i) => +(pick(x) / pick(of(b)[i] ?? x)).toFixed(3));
  const pg = ratios('after commit', 'batched', (x) => x.postgresUs);
  const pgAA = ratios('after commit', 'after commit B', (x) => x.postgresUs);
  const perStatement = (t: Target) => (events.get(t) ?? 0) / Math.max(1, statements[t]);
  report.add({
    section: S,
    metric: 'PostgreSQL CPU per event, after commit / batched',
    value: median(pg),
    unit: '×',
    detail: `${median(of('after commit').map((x) => x.postgresUs)).toFixed(0)} vs ${median(of('batched').map((x) => x.postgresUs)).toFixed(0)} µs per event; ${perStatement('after commit').toFixed(1)} vs ${perStatement('batched').toFixed(1)} events per INSERT; A/A ${median(pgAA).toFixed(2)}× (rounds ${Math.min(...pgAA).toFixed(2)}–${Math.max(...pgAA).toFixed(2)}×)`,
    rounds: pg,
  });
  const waits = (t: Target) => of(t).flatMap((x) => x.waits);
  report.add({
    section: S,
    metric: 'wait per call for its event, after commit: p50 / p99',
    value: percentile(waits('after commit'), 50),
    value2: percentile(waits('after commit'), 99),
    unit: 'ms',
    detail: `${settings.clients} concurrent callers; batched (no wait, one event loop turn): p50 ${percentile(waits('batched'), 50)?.toFixed(3)} ms`,
  });
  report.add({
    section: S,
    metric: 'events per second, after commit / batched',
    value: median(ratios('after commit', 'batched', (x) => x.eventsPerSecond)),
    unit: '×',
    detail: `${median(of('after commit').map((x) => x.eventsPerSecond)).toFixed(0)} vs ${median(of('batched').map((x) => x.eventsPerSecond)).toFixed(0)} events/s with ${settings.clients} callers and nothing else to do: the bound the wait puts on a call`,
  });
}
