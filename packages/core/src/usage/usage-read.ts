// Reading usage rows back, grouped in SQL: per (business, credential, tool)
// totals, per tool histograms (added index by index), and a time series. The
// caller has already decided what the reader may see (usage-views.ts); here
// only the filter is built.
import type { Db } from '@flowpos/db';
import { DAY_MS, HOUR_MS } from './usage-counter.ts';
import { emptyHistogram, HISTOGRAM_BUCKETS } from './usage-histogram.ts';
import type { UsagePeriod } from './usage-rows.ts';

export const USAGE_RANGES = ['48h', '90d'] as const;
export type UsageRange = (typeof USAGE_RANGES)[number];

export interface UsageFilter {
  range: UsageRange;
  businessId?: string | undefined;
  credential?: string | undefined;
  /** Epoch ms "now" (tests). */
  now?: number | undefined;
}

export interface UsageWindow {
  period: UsagePeriod;
  stepMs: number;
  /** The buckets shown, oldest first (48 hours or 90 days, the current one last). */
  starts: number[];
}

export function usageWindow(range: UsageRange, now = Date.now()): UsageWindow {
  const [period, stepMs, count] =
    range === '48h' ? (['hour', HOUR_MS, 48] as const) : (['day', DAY_MS, 90] as const);
  const last = now - (now % stepMs);
  const starts = Array.from({ length: count }, (_, i) => last - (count - 1 - i) * stepMs);
  return { period, stepMs, starts };
}

export interface Counts {
  calls: number;
  refused: number;
  badArguments: number;
  failed: number;
}

export interface GroupTotals extends Counts {
  businessId: string;
  credential: string;
  tool: string;
  durationMsSum: number;
  lastUsedAt: Date;
}

export interface SeriesPoint extends Counts {
  at: number;
}

const COUNTS = `sum(calls)::float8 AS calls, sum(refused)::float8 AS refused,
  sum(bad_arguments)::float8 AS "badArguments", sum(failed)::float8 AS failed`;

/** The WHERE clause and its parameters for a filter. */
function where(filter: UsageFilter): { sql: string; params: unknown[]; window: UsageWindow } {
  const window = usageWindow(filter.range, filter.now);
  const params: unknown[] = [window.period, new Date(window.starts[0] ?? 0)];
  let sql = 'WHERE period = $1 AND bucket_start >= $2';
  if (filter.businessId) {
    params.push(filter.businessId);
    sql += ` AND business_id = $${params.length}::uuid`;
  }
  if (filter.credential) {
    params.push(filter.credential);
    sql += ` AND credential = $${params.length}`;
  }
  return { sql, params, window };
}

const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

export async function usageTotals(db: Db, filter: UsageFilter): Promise<GroupTotals[]> {
  const { sql, params } = where(filter);
  const rows = await db.$queryRawUnsafe<(GroupTotals & { lastUsedAt: unknown })[]>(
    `SELECT business_id::text AS "businessId", credential, tool, ${COUNTS},
       sum(duration_ms_sum)::float8 AS "durationMsSum", max(last_used_at) AS "lastUsedAt"
     FROM usage_bucket ${sql} GROUP BY 1, 2, 3`,
    ...params,
  );
  return rows.map((r) => ({ ...r, lastUsedAt: asDate(r.lastUsedAt) }));
}

/** Each tool's durations, all credentials of the filter together. */
export async function usageHistograms(db: Db, filter: UsageFilter): Promise<Map<string, number[]>> {
  const { sql, params } = where(filter);
  const rows = await db.$queryRawUnsafe<{ tool: string; i: number; v: number }[]>(
    `SELECT tool, u.i::int AS i, sum(u.v)::float8 AS v
     FROM usage_bucket, unnest(histogram) WITH ORDINALITY AS u(v, i) ${sql} GROUP BY 1, 2`,
    ...params,
  );
  const byTool = new Map<string, number[]>();
  for (const { tool, i, v } of rows) {
    let histogram = byTool.get(tool);
    if (!histogram) byTool.set(tool, (histogram = emptyHistogram()));
    // ORDINALITY counts from 1.
    if (i >= 1 && i <= HISTOGRAM_BUCKETS) histogram[i - 1] = Number(v);
  }
  return byTool;
}

/** Calls and errors per bucket over the whole window (zeros where nothing was called). */
export async function usageSeries(db: Db, filter: UsageFilter): Promise<SeriesPoint[]> {
  const { sql, params, window } = where(filter);
  const rows = await db.$queryRawUnsafe<(Counts & { at: unknown })[]>(
    `SELECT bucket_start AS at, ${COUNTS} FROM usage_bucket ${sql} GROUP BY 1`,
    ...params,
  );
  const byStart = new Map(rows.map((r) => [asDate(r.at).getTime(), r]));
  return window.starts.map((at) => {
    const r = byStart.get(at);
    return {
      at,
      calls: r?.calls ?? 0,
      refused: r?.refused ?? 0,
      badArguments: r?.badArguments ?? 0,
      failed: r?.failed ?? 0,
    };
  });
}
