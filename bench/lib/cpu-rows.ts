// The report rows for CPU per call: where a call's CPU goes (the server,
// PostgreSQL, Redis, the load generator), and ratios of server CPU per call
// printed beside the A/A ratio of two identical servers measured in the same
// interleaved rounds: a ratio inside the A/A spread is noise.
import type { LoadResult } from './http-load.ts';
import type { RoundResult } from './interleaved.ts';
import type { Row } from './report.ts';
import type { CpuParts } from './side-cpu.ts';
import { median } from './stats.ts';

const PARTS: [keyof CpuParts, string][] = [
  ['server', 'server'],
  ['postgres', 'PostgreSQL'],
  ['redis', 'Redis'],
  ['loadgen', 'load generator'],
];

const serverUs = (r: LoadResult) => ((r as RoundResult).cpuMsPerRequest ?? NaN) * 1000;

/**
 * A target's CPU per call: the median over rounds of the sum of its parts, the
 * median of each part beside it. Redis is the whole server (`INFO cpu`): on a
 * shared machine other clients' commands count too.
 */
export function cpuRow(section: string, label: string, results: LoadResult[]): Row | undefined {
  const rounds = (results as RoundResult[]).map((r) => r.cpu);
  if (rounds.some((c) => c === undefined)) return undefined;
  const cpus = rounds as CpuParts[];
  const parts: Record<string, number> = {};
  for (const [key, name] of PARTS) {
    const values = cpus.map((c) => c[key]);
    if (values.every((v) => v !== undefined)) parts[name] = +(median(values) * 1000).toFixed(1);
  }
  const totals = cpus.map((c) => PARTS.reduce((sum, [key]) => sum + (c[key] ?? 0), 0) * 1000);
  return {
    section,
    metric: `${label}: CPU per call, all processes`,
    value: median(totals),
    unit: 'µs',
    rounds: totals.map((v) => Math.round(v)),
    parts,
    detail: Object.entries(parts)
      .map(([name, v]) => `${name} ${v.toFixed(0)}`)
      .join(' + ')
      .concat(' µs (medians of rounds; Redis: the whole server)'),
  };
}

/** Per-round ratios of server CPU per call, a / b. */
export const cpuRatios = (a: LoadResult[], b: LoadResult[]) =>
  a.map((x, i) => serverUs(x) / serverUs(b[i] as LoadResult));

export interface AaFloor {
  median: number;
  min: number;
  max: number;
}

const fmt = (v: number) => v.toFixed(2);
export const aaText = (aa: AaFloor) =>
  `A/A ${fmt(aa.median)}× (rounds ${fmt(aa.min)}–${fmt(aa.max)}×)`;

/**
 * The A/A row: server CPU per call of two identical servers, a / b, round by
 * round. Its spread is the noise floor of every CPU ratio of the same rounds.
 */
export function aaRow(
  section: string,
  metric: string,
  a: LoadResult[],
  b: LoadResult[],
): { row: Row; floor: AaFloor } | undefined {
  const rs = cpuRatios(a, b);
  if (!rs.every((v) => Number.isFinite(v))) return undefined;
  const floor = { median: median(rs), min: Math.min(...rs), max: Math.max(...rs) };
  return {
    floor,
    row: {
      section,
      metric: `A/A: ${metric}`,
      value: floor.median,
      unit: '×',
      rounds: rs.map((v) => +v.toFixed(3)),
      detail: `two identical servers, same rounds: the noise floor of this section's CPU ratios; rounds ${fmt(floor.min)}–${fmt(floor.max)}×`,
    },
  };
}

/** Whether a ratio is no further from 1 than the A/A rounds went: then it is noise. */
export const withinNoise = (ratio: number, aa: AaFloor) =>
  ratio >= Math.min(aa.min, 1) && ratio <= Math.max(aa.max, 1);

/** A ratio of server CPU per call, a / b (median of rounds), with the section's A/A beside it. */
export function cpuRatioRow(
  section: string,
  metric: string,
  a: LoadResult[],
  b: LoadResult[],
  aa: AaFloor | undefined,
  target?: { max: number },
): Row | undefined {
  const rs = cpuRatios(a, b);
  if (!rs.every((v) => Number.isFinite(v))) return undefined;
  const value = median(rs);
  return {
    section,
    metric,
    value,
    unit: '×',
    ...(target ? { target: `≤ ${fmt(target.max)}×`, pass: value <= target.max } : {}),
    rounds: rs.map((v) => +v.toFixed(3)),
    detail: `median of per-round ratios; ${median(a.map(serverUs)).toFixed(0)} vs ${median(b.map(serverUs)).toFixed(0)} µs/req; ${aa ? `${aaText(aa)}: ${withinNoise(value, aa) ? 'inside, noise' : 'outside'}` : 'no A/A in these rounds'}`,
  };
}
