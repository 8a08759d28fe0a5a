// Bench section 1c: what the trust guarantees cost on tools/call. Throttling
// (per-address failed-auth budget and per-credential budget, counters in
// Redis): the product against the same product with RATE_LIMIT_ENABLED=false,
// interleaved. Holding a session to its credential's current rights on every
// request: the check itself (sessionPrincipal, in-process) against the
// product's server CPU per tools/call. And what throttling asks of Redis per
// tools/call: its commands, and the round trips they travel in (socket reads
// on the Redis side; the client pipelines what one event-loop turn issues).
import { apiKeyPrincipal, sessionPrincipal, type Principal } from '@flowpos/core';
import type { Redis } from 'ioredis';
import { runLoad, type LoadClient, type LoadResult, warmUp } from '../lib/http-load.ts';
import { aaRow, cpuRatioRow, cpuRow } from '../lib/cpu-rows.ts';
import { interleaved, med, ratios, type RoundResult } from '../lib/interleaved.ts';
import type { Report } from '../lib/report.ts';
import type { Settings } from '../lib/settings.ts';
import type { CpuMeters } from '../lib/side-cpu.ts';
import { median } from '../lib/stats.ts';

const S = '1c trust costs on tools/call';

/**
 * A key principal as the product builds it and the session store holds it
 * (two businesses, so the check has a list to compare), and the one the key
 * grants now (equal rights, another active business).
 */
function principals(): [Principal, Principal] {
  const key = apiKeyPrincipal({
    id: 'bench',
    businessId: 'b-2',
    prefix: 'fp_mcp_bench',
    role: 'merchant',
    scopes: ['pos:read', 'sessions:read'],
    expiresAt: null,
  });
  const stored: Principal = { ...key, authorizedBusinessIds: ['b-1', 'b-2'] };
  return [stored, { ...stored, activeBusinessId: 'b-1', scopes: [...stored.scopes] }];
}

/** Nanoseconds per sessionPrincipal call when nothing changed (the hot path), median of rounds. */
function rightsCheckNs(rounds: number): number[] {
  const [stored, current] = principals();
  const calls = 200_000;
  const out: number[] = [];
  let kept = 0;
  for (let r = 0; r < rounds; r++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) if (sessionPrincipal(stored, current) === stored) kept++;
    out.push(Number(process.hrtime.bigint() - started) / calls);
  }
  if (kept !== rounds * calls) throw new Error('sessionPrincipal changed an unchanged principal');
  return out;
}

/** Redis's own counters: script calls (EVALSHA) and socket reads it processed, every client included. */
async function redisCounters(redis: Redis): Promise<{ scripts: number; reads: number }> {
  const [stats, commands] = await Promise.all([redis.info('stats'), redis.info('commandstats')]);
  const field = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
  return {
    scripts: field(commands, /cmdstat_evalsha:calls=(\d+)/),
    reads: field(stats, /total_reads_processed:(\d+)/),
  };
}

export async function benchTrust(opts: {
  report: Report;
  settings: Settings;
  redis: Redis;
  productClients: LoadClient[];
  /** Identical to product A: the A/A floor of the CPU ratio. */
  productBClients: LoadClient[];
  unthrottledClients: LoadClient[];
  cpuPids: { product?: number; productB?: number; unthrottled?: number };
  meters: CpuMeters;
}): Promise<void> {
  const { report, settings, productClients, unthrottledClients, cpuPids, redis } = opts;
  const { productBClients, meters } = opts;
  await warmUp(unthrottledClients, settings.warmMs);
  const s = await interleaved(
    { product: productClients, productB: productBClients, unthrottled: unthrottledClients },
    settings.rounds,
    settings.roundMs,
    { pids: cpuPids, meters },
  );
  const product = s.product as RoundResult[];
  const productB = s.productB as RoundResult[];
  const unthrottled = s.unthrottled as RoundResult[];
  const rs = ratios(product as LoadResult[], unthrottled as LoadResult[]);
  report.add({
    section: S,
    metric: 'throttling: throughput with / without (RATE_LIMIT_ENABLED=false)',
    value: median(rs),
    unit: '×',
    rounds: rs.map((v) => +v.toFixed(3)),
    detail: `median of per-round ratios; ${med(product, (r) => r.rps).toFixed(0)} vs ${med(unthrottled, (r) => r.rps).toFixed(0)} req/s`,
  });
  const productCpuUs = median(product.map((r) => (r.cpuMsPerRequest ?? NaN) * 1000));
  const aa = aaRow(S, 'server CPU per tools/call, product A / product B', product, productB);
  if (aa) report.add(aa.row);
  const cpu = cpuRatioRow(
    S,
    'throttling: server CPU per tools/call, with / without',
    product,
    unthrottled,
    aa?.floor,
  );
  if (cpu) report.add(cpu);
  for (const [label, rs] of [
    ['product', product],
    ['product without throttling', unthrottled],
  ] as const) {
    const row = cpuRow(S, label, rs);
    if (row) report.add(row);
  }
  // The product alone, bracketed by Redis's counters (nothing else loads Redis meanwhile).
  const before = await redisCounters(redis);
  const alone = await runLoad(productClients, settings.roundMs);
  const after = await redisCounters(redis);
  const served = alone.requests - alone.errors;
  report.add({
    section: S,
    metric: 'throttling: Redis commands / round trips per tools/call',
    value: (after.scripts - before.scripts) / served,
    value2: (after.reads - before.reads) / served,
    unit: '',
    detail: `two counters per request (the address's failed-auth budget, read; the credential's, counted), pipelined with those of other requests in the same event-loop turn; ${served} requests at ${alone.rps.toFixed(0)} req/s`,
  });
  const ns = rightsCheckNs(settings.rounds);
  const checkNs = median(ns);
  report.add({
    section: S,
    metric: 'rights check per request (sessionPrincipal, nothing changed)',
    value: checkNs / 1000,
    unit: 'µs',
    rounds: ns.map((v) => +(v / 1000).toFixed(4)),
    detail: Number.isFinite(productCpuUs)
      ? `${((checkNs / 1000 / productCpuUs) * 100).toFixed(2)}% of the product's ${productCpuUs.toFixed(0)} µs server CPU per tools/call; the credential's current principal comes from the key and principal caches the request authenticates with`
      : 'in-process, 200,000 calls a round',
  });
}
