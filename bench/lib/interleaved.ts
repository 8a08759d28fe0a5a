// Interleaved rounds (A, B, A, B…) and the medians and ratios taken over them.
import { type LoadClient, type LoadResult, runLoad } from './http-load.ts';
import { cpuPerRequest, serverOnlyMeters, type CpuMeters, type CpuParts } from './side-cpu.ts';
import { median } from './stats.ts';
import { log } from './settings.ts';

/**
 * A round's result, with the CPU per request (ms) of the target's server
 * (`cpuMsPerRequest`) and, when the run has meters for them, of PostgreSQL,
 * Redis and the load generator (`cpu`), when the target's pid was given.
 */
export type RoundResult = LoadResult & { cpuMsPerRequest?: number; cpu?: CpuParts };

/** Where a round's CPU is read: each target's server pid, and the run's meters. */
export interface CpuWatch {
  pids?: Record<string, number | undefined>;
  meters?: CpuMeters;
}

const us = (ms: number | undefined) => (ms === undefined ? '?' : (ms * 1000).toFixed(0));

/**
 * Interleaved rounds: each round runs every target once, the order rotated by one
 * each round (A B C, B C A, C A B…), so no target always follows the same one (and
 * inherits, say, its audit flush or its GC); the medians and per-round ratios come back.
 */
export async function interleaved(
  targets: Record<string, LoadClient[]>,
  rounds: number,
  roundMs: number,
  watch: CpuWatch = {},
): Promise<Record<string, RoundResult[]>> {
  const { pids = {}, meters = serverOnlyMeters } = watch;
  const out: Record<string, RoundResult[]> = Object.fromEntries(
    Object.keys(targets).map((k) => [k, []]),
  );
  const entries = Object.entries(targets);
  for (let r = 0; r < rounds; r++) {
    const order = [...entries.slice(r % entries.length), ...entries.slice(0, r % entries.length)];
    for (const [name, clients] of order) {
      const pid = pids[name];
      const before = pid === undefined ? undefined : await meters.snapshot(pid);
      const result: RoundResult = await runLoad(clients, roundMs);
      if (before && result.requests > 0) {
        const cpu = cpuPerRequest(before, await meters.snapshot(pid), result.requests);
        result.cpu = cpu;
        if (cpu.server !== undefined) result.cpuMsPerRequest = cpu.server;
      }
      out[name]?.push(result);
      const c = result.cpu;
      log(
        `  round ${r + 1}/${rounds} ${name}: ${result.rps.toFixed(0)} req/s p50 ${result.p50Ms.toFixed(2)} ms p99 ${result.p99Ms.toFixed(2)} ms${c ? ` cpu µs/req server ${us(c.server)} pg ${us(c.postgres)} redis ${us(c.redis)} loadgen ${us(c.loadgen)}` : ''}${result.errors ? ` (${result.errors} errors)` : ''}`,
      );
    }
  }
  return out;
}

export const med = (results: LoadResult[], pick: (r: LoadResult) => number) =>
  median(results.map(pick));
export const ratios = (a: LoadResult[], b: LoadResult[]) =>
  a.map((x, i) => x.rps / (b[i]?.rps ?? Number.NaN));
