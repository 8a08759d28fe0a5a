// Bench section 1b: the 2026-07-28 stateless path.
import { aaRow, cpuRatioRow, cpuRow } from '../lib/cpu-rows.ts';
import {
  endpointOf,
  type Endpoint,
  type LoadClient,
  type LoadResult,
  warmUp,
} from '../lib/http-load.ts';
import { interleaved } from '../lib/interleaved.ts';
import { ratioRow, throughputRow } from '../lib/load-rows.ts';
import { spawnBaseline, type ServerProcess } from '../lib/processes.ts';
import type { Report } from '../lib/report.ts';
import type { Settings } from '../lib/settings.ts';
import type { CpuMeters } from '../lib/side-cpu.ts';
import { checkStatelessCall, statelessClients } from '../lib/stateless-clients.ts';

/** Section 1b: 2026-07-28 stateless tools/call through the product vs the bare SDK 2 handler and the 2025 path. */
export async function benchStateless(opts: {
  report: Report;
  settings: Settings;
  A: Endpoint;
  /** Product B, identical to A: the A/A floor of the CPU ratio. */
  B: Endpoint;
  key: string;
  sku: string;
  productClients: LoadClient[];
  pids: { a?: number; b?: number };
  meters: CpuMeters;
  /** Told of each server started, so that the run stops it even when the section fails. */
  track: (server: ServerProcess) => void;
}): Promise<void> {
  const { report, settings, A, B, key, sku, productClients, track, pids, meters } = opts;
  const bareV2 = await spawnBaseline('bare-sdk-v2', 'bench/servers/bare-sdk-v2.ts');
  track(bareV2);
  const n = settings.clients;
  const productModern = statelessClients(n, A, key, 'get_product', { sku });
  const productModernB = statelessClients(n, B, key, 'get_product', { sku });
  const bareModern = statelessClients(n, endpointOf(bareV2.baseUrl), undefined, 'echo', {
    text: 'hello',
  });
  await checkStatelessCall(productModern, 'product');
  await checkStatelessCall(productModernB, 'product B');
  await checkStatelessCall(bareModern, 'bare SDK 2');
  await warmUp(productModern, settings.warmMs);
  await warmUp(productModernB, settings.warmMs);
  await warmUp(bareModern, settings.warmMs);
  const s1b = await interleaved(
    { modern: productModern, modernB: productModernB, legacy: productClients, bareV2: bareModern },
    settings.rounds,
    settings.roundMs,
    {
      pids: { modern: pids.a, modernB: pids.b, legacy: pids.a, bareV2: bareV2.child.pid },
      meters,
    },
  );
  const S1B = '1b tools/call, 2026-07-28';
  for (const [name, label] of [
    ['modern', 'product get_product, 2026 stateless (auth + tenant read + audit per request)'],
    ['legacy', 'product get_product, 2025 session'],
    ['bareV2', 'bare SDK 2 createMcpHandler stateless echo (node:http)'],
  ] as const) {
    report.add(
      throughputRow(
        S1B,
        `${label}: throughput`,
        s1b[name] as LoadResult[],
        `${settings.clients} clients`,
      ),
    );
  }
  for (const [metric, a, b, min] of [
    ['ratio product 2026 / bare SDK 2 stateless', 'modern', 'bareV2', 1.2],
    ['ratio product 2026 / product 2025 session', 'modern', 'legacy', 0.95],
  ] as const) {
    const [ra, rb] = [s1b[a] as LoadResult[], s1b[b] as LoadResult[]];
    const options = { min, digits: 2, detail: 'median of per-round ratios' };
    report.add(ratioRow(S1B, metric, ra, rb, options));
  }
  for (const [name, label] of [
    ['modern', 'product 2026'],
    ['modernB', 'product B 2026 (identical to A)'],
    ['legacy', 'product 2025 session'],
    ['bareV2', 'bare SDK 2'],
  ] as const) {
    const row = cpuRow(S1B, label, s1b[name] as LoadResult[]);
    if (row) report.add(row);
  }
  const [modern, modernB] = [s1b.modern as LoadResult[], s1b.modernB as LoadResult[]];
  const aa = aaRow(S1B, 'server CPU per 2026 tools/call, product A / product B', modern, modernB);
  if (aa) report.add(aa.row);
  for (const [metric, b] of [
    ['server CPU per tools/call, product 2026 / product 2025 session', 'legacy'],
    ['server CPU per tools/call, product 2026 / bare SDK 2', 'bareV2'],
  ] as const) {
    const row = cpuRatioRow(S1B, metric, modern, s1b[b] as LoadResult[], aa?.floor);
    if (row) report.add(row);
  }
  for (const c of [...productModern, ...productModernB, ...bareModern]) c.agent.destroy();
  await bareV2.stop();
}
