// The report rows every load section writes: a target's median throughput,
// its median p50 / p99, and the median of per-round throughput ratios.
import type { LoadResult } from './http-load.ts';
import { med, ratios } from './interleaved.ts';
import type { Row } from './report.ts';
import { median } from './stats.ts';

/** The median throughput over the rounds, with each round's figure. */
export function throughputRow(
  section: string,
  metric: string,
  results: LoadResult[],
  detail?: string,
): Row {
  return {
    section,
    metric,
    value: med(results, (r) => r.rps),
    unit: 'req/s',
    rounds: results.map((r) => Math.round(r.rps)),
    ...(detail === undefined ? {} : { detail }),
  };
}

/** The median p50 / p99 latency over the rounds, and the errors they had. */
export function latencyRow(section: string, metric: string, results: LoadResult[]): Row {
  return {
    section,
    metric,
    value: med(results, (r) => r.p50Ms),
    value2: med(results, (r) => r.p99Ms),
    unit: 'ms',
    detail: `errors ${errorCount(results)}`,
  };
}

/** "p50 … ms, p99 … ms": the medians, for a throughput row's detail. */
export const latencyDetail = (results: LoadResult[]) =>
  `p50 ${med(results, (r) => r.p50Ms).toFixed(2)} ms, p99 ${med(results, (r) => r.p99Ms).toFixed(2)} ms`;

export const errorCount = (results: LoadResult[]) => results.reduce((a, r) => a + r.errors, 0);

/**
 * The median of per-round throughput ratios a / b, passing at `min` or more
 * (written with `digits` decimals in the target) when a minimum is given.
 */
export function ratioRow(
  section: string,
  metric: string,
  a: LoadResult[],
  b: LoadResult[],
  options: { min?: number; digits?: number; detail?: string } = {},
): Row {
  const rs = ratios(a, b);
  const { min, digits = 2, detail } = options;
  return {
    section,
    metric,
    value: median(rs),
    unit: '×',
    ...(min === undefined ? {} : { target: `≥ ${min.toFixed(digits)}×`, pass: median(rs) >= min }),
    rounds: rs.map((v) => +v.toFixed(3)),
    detail: [`rounds ${spread(rs)}`, detail].filter(Boolean).join('; '),
  };
}

/** "0.91–1.12×": the range of per-round ratios, the spread a median ratio is read with. */
export function spread(values: number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return 'n/a';
  return `${Math.min(...finite).toFixed(2)}–${Math.max(...finite).toFixed(2)}×`;
}
