// Bench section 2: two instances without affinity vs one.
import { cpus } from 'node:os';
import { type Endpoint, type LoadClient, type LoadResult, warmUp } from '../lib/http-load.ts';
import { interleaved } from '../lib/interleaved.ts';
import { errorCount, latencyDetail, ratioRow, throughputRow } from '../lib/load-rows.ts';
import type { Report } from '../lib/report.ts';
import type { Settings } from '../lib/settings.ts';

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
  await warmUp(twoClients, settings.warmMs); // B rebuilds each session on its first request
  const s2 = await interleaved(
    { one: productClients, two: twoClients },
    settings.rounds,
    settings.roundMs,
  );
  const S2 = '2 two instances';
  const [one, two] = [s2.one as LoadResult[], s2.two as LoadResult[]];
  const same = `same ${cpus().length} cores for both`;
  report.add(throughputRow(S2, 'one instance: throughput', one, latencyDetail(one)));
  report.add(
    throughputRow(
      S2,
      'two instances, alternating: throughput',
      two,
      `${latencyDetail(two)}; errors ${errorCount(two)}`,
    ),
  );
  report.add(ratioRow(S2, 'ratio two instances / one', two, one, { min: 0.9, detail: same }));
}
