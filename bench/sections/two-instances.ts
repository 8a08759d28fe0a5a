// Bench section 2: two instances without affinity vs one.
import { cpus } from 'node:os';
import { type Endpoint, type LoadClient, type LoadResult, runLoad } from '../lib/http-load.ts';
import { interleaved, med, ratios } from '../lib/interleaved.ts';
import type { Report } from '../lib/report.ts';
import type { Settings } from '../lib/settings.ts';
import { median } from '../lib/stats.ts';

/** Section 2: the same clients on one instance, then alternating between two without affinity. */
export async function benchTwoInstances(opts: {
  report: Report;
  settings: Settings;
  productClients: LoadClient[];
  A: Endpoint;
  B: Endpoint;
}): Promise<void> {
  const { report, settings, productClients, A, B } = opts;
  const twoClients = productClients.map((c) => ({ ...c, endpoints: [A, B] }));
  await runLoad(twoClients, settings.warmMs); // B rebuilds each session on its first request
  const s2 = await interleaved(
    { one: productClients, two: twoClients },
    settings.rounds,
    settings.roundMs,
  );
  const S2 = '2 two instances';
  report.add({
    section: S2,
    metric: 'one instance: throughput',
    value: med(s2.one as LoadResult[], (r) => r.rps),
    unit: 'req/s',
    rounds: (s2.one as LoadResult[]).map((r) => Math.round(r.rps)),
    detail: `p50 ${med(s2.one as LoadResult[], (r) => r.p50Ms).toFixed(2)} ms, p99 ${med(s2.one as LoadResult[], (r) => r.p99Ms).toFixed(2)} ms`,
  });
  report.add({
    section: S2,
    metric: 'two instances, alternating: throughput',
    value: med(s2.two as LoadResult[], (r) => r.rps),
    unit: 'req/s',
    rounds: (s2.two as LoadResult[]).map((r) => Math.round(r.rps)),
    detail: `p50 ${med(s2.two as LoadResult[], (r) => r.p50Ms).toFixed(2)} ms, p99 ${med(s2.two as LoadResult[], (r) => r.p99Ms).toFixed(2)} ms; errors ${(s2.two as LoadResult[]).reduce((a, r) => a + r.errors, 0)}`,
  });
  const twoOverOne = ratios(s2.two as LoadResult[], s2.one as LoadResult[]);
  report.add({
    section: S2,
    metric: 'ratio two instances / one',
    value: median(twoOverOne),
    unit: '×',
    target: '≥ 0.90×',
    pass: median(twoOverOne) >= 0.9,
    rounds: twoOverOne.map((v) => +v.toFixed(3)),
    detail: `same ${cpus().length} cores for both`,
  });
}
