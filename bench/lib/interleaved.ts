// Interleaved rounds (A, B, A, B…) and the medians and ratios taken over them.
import { type LoadClient, type LoadResult, runLoad } from './http-load.ts';
import { processCpuMs } from './process-cpu.ts';
import { median } from './stats.ts';
import { log } from './settings.ts';

/** A round's result, with the server's CPU time per request when its pid was given. */
export type RoundResult = LoadResult & { cpuMsPerRequest?: number };

/**
 * Interleaved rounds: each round runs every target once, the order rotated by one
 * each round (A B C, B C A, C A B…), so no target always follows the same one (and
 * inherits, say, its audit flush or its GC); the medians and per-round ratios come back.
 */
export async function interleaved(
  targets: Record<string, LoadClient[]>,
  rounds: number,
  roundMs: number,
  pids: Record<string, number | undefined> = {},
): Promise<Record<string, RoundResult[]>> {
  const out: Record<string, RoundResult[]> = Object.fromEntries(
    Object.keys(targets).map((k) => [k, []]),
  );
  const entries = Object.entries(targets);
  for (let r = 0; r < rounds; r++) {
    const order = [...entries.slice(r % entries.length), ...entries.slice(0, r % entries.length)];
    for (const [name, clients] of order) {
      const cpuBefore = processCpuMs(pids[name]);
      const result: RoundResult = await runLoad(clients, roundMs);
      const cpuAfter = processCpuMs(pids[name]);
      if (cpuBefore !== undefined && cpuAfter !== undefined && result.requests > 0)
        result.cpuMsPerRequest = (cpuAfter - cpuBefore) / result.requests;
      out[name]?.push(result);
      log(
        `  round ${r + 1}/${rounds} ${name}: ${result.rps.toFixed(0)} req/s p50 ${result.p50Ms.toFixed(2)} ms p99 ${result.p99Ms.toFixed(2)} ms${result.cpuMsPerRequest === undefined ? '' : ` cpu ${(result.cpuMsPerRequest * 1000).toFixed(0)} µs/req`}${result.errors ? ` (${result.errors} errors)` : ''}`,
      );
    }
  }
  return out;
}

export const med = (results: LoadResult[], pick: (r: LoadResult) => number) =>
  median(results.map(pick));
export const ratios = (a: LoadResult[], b: LoadResult[]) =>
  a.map((x, i) => x.rps / (b[i]?.rps ?? Number.NaN));
