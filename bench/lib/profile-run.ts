// BENCH_PROFILE=1: the product alone under the section-1 tools/call load,
// started with --cpu-prof; on exit V8 writes bench/results/CPU.*.cpuprofile
// (git-ignored), summarised here by self time.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runLoad, type LoadClient } from './http-load.ts';
import type { ServerProcess } from './processes.ts';
import { formatProfile, summariseProfile } from './profile-summary.ts';
import type { Settings } from './settings.ts';

export async function runProfile(opts: {
  productA: ServerProcess;
  productClients: LoadClient[];
  settings: Settings;
  log: (l: string) => void;
  resultsDir: string;
}): Promise<void> {
  const { productA, productClients, settings, log, resultsDir } = opts;
  const since = Date.now();
  await runLoad(productClients, settings.warmMs);
  log(
    `profiling the product under ${productClients.length}-client tools/call load for ${settings.profileMs / 1000} s`,
  );
  const result = await runLoad(productClients, settings.profileMs);
  log(
    `  ${result.rps.toFixed(0)} req/s (profiler on), p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, errors ${result.errors}`,
  );
  for (const c of productClients) c.agent.destroy();
  await productA.stop();
  const files = readdirSync(resultsDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(resultsDir, f))
    .filter((f) => statSync(f).mtimeMs >= since)
    .sort((a, b) => statSync(b).size - statSync(a).size); // the main thread's profile is the largest
  const file = files[0];
  if (!file) {
    log(`no .cpuprofile written in ${resultsDir}; backend output:\n${productA.output()}`);
    return;
  }
  process.stdout.write(`\nprofile: ${file}\n${formatProfile(summariseProfile(file, 40))}\n`);
}
