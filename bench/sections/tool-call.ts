// Bench section 1: tools/call on the 2025 session path against its baselines.
import { type LoadClient, type LoadResult, runLoad } from '../lib/http-load.ts';
import { interleaved, med, type RoundResult } from '../lib/interleaved.ts';
import { latencyRow, ratioRow, throughputRow } from '../lib/load-rows.ts';
import type { Report } from '../lib/report.ts';
import { CANDIDATE, type Settings } from '../lib/settings.ts';
import { median } from '../lib/stats.ts';

/** Section 1: tools/call through the product, without metrics, the bare SDK and the ceiling, interleaved. */
export async function benchToolCall(opts: {
  report: Report;
  settings: Settings;
  productClients: LoadClient[];
  unmeteredClients: LoadClient[];
  bareClients: LoadClient[];
  ceilingClients: LoadClient[];
  candidateClients?: LoadClient[];
  cpuPids: { product?: number; unmetered?: number; candidate?: number };
}): Promise<void> {
  const { report, settings, productClients, unmeteredClients, bareClients, ceilingClients } = opts;
  const { candidateClients, cpuPids } = opts;
  await runLoad(productClients, settings.warmMs);
  await runLoad(bareClients, settings.warmMs);
  await runLoad(ceilingClients, settings.warmMs);
  await runLoad(unmeteredClients, settings.warmMs);
  if (candidateClients) await runLoad(candidateClients, settings.warmMs);
  const s1 = await interleaved(
    {
      product: productClients,
      unmetered: unmeteredClients,
      bare: bareClients,
      ceiling: ceilingClients,
      ...(candidateClients ? { candidate: candidateClients } : {}),
    },
    settings.rounds,
    settings.roundMs,
    cpuPids,
  );
  const S1 = '1 tools/call';
  for (const [name, label] of [
    ['product', 'product get_product (API key + Redis-backed session + PG read + audit)'],
    ['unmetered', 'product without metrics (METRICS_ENABLED=false)'],
    ['bare', 'bare SDK 1.32 stateful echo (node:http)'],
    ['ceiling', 'raw node:http JSON endpoint'],
  ] as const) {
    const rs = s1[name] as LoadResult[];
    report.add(
      throughputRow(S1, `${label}: throughput`, rs, `${settings.clients} clients, JSON responses`),
    );
    report.add(latencyRow(S1, `${label}: p50 / p99`, rs));
  }
  /** A row for the median of per-round throughput ratios a / b, with an optional minimum. */
  const perRound = (metric: string, a: string, b: string, min?: number) =>
    report.add(
      ratioRow(S1, metric, s1[a] as LoadResult[], s1[b] as LoadResult[], {
        ...(min === undefined ? {} : { min }),
        detail: 'median of per-round ratios',
      }),
    );
  // The cost of metrics: server CPU per tools/call, with / without (tracing off in both).
  // Throughput swings with whatever else runs on the machine; CPU per request does not.
  const cpuRatios = (s1.product as RoundResult[]).map(
    (p, i) =>
      (p.cpuMsPerRequest ?? NaN) / ((s1.unmetered as RoundResult[])[i]?.cpuMsPerRequest ?? NaN),
  );
  if (cpuRatios.every((r) => Number.isFinite(r))) {
    report.add({
      section: S1,
      metric: 'metrics cost: server CPU per tools/call, with metrics / without',
      value: median(cpuRatios),
      unit: '×',
      target: '≤ 1.03×',
      pass: median(cpuRatios) <= 1.03,
      rounds: cpuRatios.map((v) => +v.toFixed(3)),
      detail: `median of per-round ratios; ${(med(s1.product as RoundResult[], (r) => (r as RoundResult).cpuMsPerRequest ?? NaN) * 1000).toFixed(0)} vs ${(med(s1.unmetered as RoundResult[], (r) => (r as RoundResult).cpuMsPerRequest ?? NaN) * 1000).toFixed(0)} µs/req`,
    });
  }
  perRound('throughput with metrics / without (noisy on a shared machine)', 'product', 'unmetered');
  perRound('ratio product / bare SDK', 'product', 'bare', 1.0);
  perRound('ratio product / ceiling', 'product', 'ceiling');
  if (s1.candidate) {
    const rs = s1.candidate;
    report.add(throughputRow(S1, 'candidate (BENCH_CANDIDATE): throughput', rs, CANDIDATE));
    report.add(latencyRow(S1, 'candidate: p50 / p99', rs));
    const [bare, product] = [s1.bare as LoadResult[], s1.product as LoadResult[]];
    report.add(ratioRow(S1, 'ratio candidate / bare SDK', rs, bare, { min: 1.0 }));
    report.add(ratioRow(S1, 'ratio candidate / product', rs, product));
    const cpu = (r: LoadResult) => ((r as RoundResult).cpuMsPerRequest ?? NaN) * 1000;
    if (rs.every((r) => Number.isFinite(cpu(r)))) {
      const perRound = rs.map((r, i) => cpu(r) / cpu(product[i] as LoadResult));
      report.add({
        section: S1,
        metric: 'candidate: server CPU per tools/call, candidate / product',
        value: median(perRound),
        unit: '×',
        rounds: perRound.map((v) => +v.toFixed(3)),
        detail: `median of per-round ratios; ${median(rs.map(cpu)).toFixed(0)} vs ${median(product.map(cpu)).toFixed(0)} µs/req`,
      });
    }
  }
}
