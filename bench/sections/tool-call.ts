// Bench section 1: tools/call on the 2025 session path against its baselines.
import { type LoadClient, type LoadResult, warmUp } from '../lib/http-load.ts';
import { aaRow, cpuRatioRow, cpuRow } from '../lib/cpu-rows.ts';
import { interleaved } from '../lib/interleaved.ts';
import { latencyRow, ratioRow, throughputRow } from '../lib/load-rows.ts';
import type { Report } from '../lib/report.ts';
import { CANDIDATE, type Settings } from '../lib/settings.ts';
import type { CpuMeters } from '../lib/side-cpu.ts';

/** Section 1: tools/call through the product, without metrics, the bare SDK and the ceiling, interleaved. */
export async function benchToolCall(opts: {
  report: Report;
  settings: Settings;
  productClients: LoadClient[];
  /** Identical to product A, sessions of their own: the A/A floor. */
  productBClients: LoadClient[];
  unmeteredClients: LoadClient[];
  bareClients: LoadClient[];
  ceilingClients: LoadClient[];
  candidateClients?: LoadClient[];
  /** The server pid of each target: product, productB, unmetered, bare, ceiling, candidate. */
  cpuPids: Record<string, number | undefined>;
  meters: CpuMeters;
}): Promise<void> {
  const { report, settings, productClients, unmeteredClients, bareClients, ceilingClients } = opts;
  const { candidateClients, cpuPids, meters, productBClients } = opts;
  await warmUp(productClients, settings.warmMs);
  await warmUp(productBClients, settings.warmMs);
  await warmUp(bareClients, settings.warmMs);
  await warmUp(ceilingClients, settings.warmMs);
  await warmUp(unmeteredClients, settings.warmMs);
  if (candidateClients) await warmUp(candidateClients, settings.warmMs);
  const s1 = await interleaved(
    {
      product: productClients,
      productB: productBClients,
      unmetered: unmeteredClients,
      bare: bareClients,
      ceiling: ceilingClients,
      ...(candidateClients ? { candidate: candidateClients } : {}),
    },
    settings.rounds,
    settings.roundMs,
    { pids: cpuPids, meters },
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
  // Where each target's CPU per call goes, and the A/A floor of product A against product B.
  for (const [name, label] of [
    ['product', 'product'],
    ['productB', 'product B (identical to A)'],
    ['unmetered', 'product without metrics'],
    ['bare', 'bare SDK 1.32'],
    ['ceiling', 'ceiling'],
    ['candidate', 'candidate'],
  ] as const) {
    const rs = s1[name];
    const row = rs && cpuRow(S1, label, rs);
    if (row) report.add(row);
  }
  const [product, productB] = [s1.product as LoadResult[], s1.productB as LoadResult[]];
  const aa = aaRow(S1, 'server CPU per tools/call, product A / product B', product, productB);
  if (aa) report.add(aa.row);
  perRound('A/A: throughput product A / product B', 'product', 'productB');
  // The cost of metrics: server CPU per tools/call, with / without (tracing off in both).
  // Throughput swings with whatever else runs on the machine; CPU per request does not.
  /** A ratio of server CPU per call, a / b, printed with the A/A floor of the same rounds. */
  const cpuRatio = (metric: string, a: LoadResult[], b: LoadResult[], max?: number) => {
    const row = cpuRatioRow(S1, metric, a, b, aa?.floor, max === undefined ? undefined : { max });
    if (row) report.add(row);
  };
  const metricsCost = 'metrics cost: server CPU per tools/call, with metrics / without';
  cpuRatio(metricsCost, product, s1.unmetered as LoadResult[], 1.03);
  cpuRatio('server CPU per tools/call, product / bare SDK', product, s1.bare as LoadResult[], 1.0);
  perRound('throughput with metrics / without (noisy on a shared machine)', 'product', 'unmetered');
  // Throughput parity is out of reach on two cores shared with PostgreSQL, Redis and the
  // load generator while each call reads PostgreSQL and writes its audit event.
  perRound('ratio product / bare SDK', 'product', 'bare', 0.75);
  perRound('ratio product / ceiling', 'product', 'ceiling');
  if (s1.candidate) {
    const rs = s1.candidate;
    report.add(throughputRow(S1, 'candidate (BENCH_CANDIDATE): throughput', rs, CANDIDATE));
    report.add(latencyRow(S1, 'candidate: p50 / p99', rs));
    const bare = s1.bare as LoadResult[];
    report.add(ratioRow(S1, 'ratio candidate / bare SDK', rs, bare, { min: 1.0 }));
    report.add(ratioRow(S1, 'ratio candidate / product', rs, product));
    cpuRatio('candidate: server CPU per tools/call, candidate / product', rs, product);
  }
}
