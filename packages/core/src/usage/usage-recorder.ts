// Usage from memory to the database: every few seconds (and at shutdown) the
// counter's aggregates are taken and upserted as hour and day rows, adding to
// what other instances wrote for the same buckets. As with the audit trail
// (audit.ts), a batch PostgreSQL refuses for one row's data is split until that
// row stands alone, which is set aside: one bad row never stops the others;
// while the database is away, rows are kept (bounded) and merged into the
// next write, counts being additive.
import type { Db } from '@flowpos/db';
import { isDataError } from '../audit.ts';
import { UsageCounter, type ToolCallObserver } from './usage-counter.ts';
import { isWritableRow, mergeRows, usageRows, type UsageRow } from './usage-rows.ts';

export interface UsageRecorderOptions {
  /** How often counted usage is written (default 5 s). */
  flushIntervalMs?: number;
  /** Aggregates held in memory at most (default 100,000). */
  maxEntries?: number;
  /** Rows kept for a retry while the database fails (default 20,000). */
  maxRetryRows?: number;
  onError?: (error: unknown) => void;
  /** Rows (or calls) dropped: the retry buffer or the counter was full. */
  onDropped?: (count: number) => void;
  /** A row the database refused for its data, set aside. */
  onRejected?: (row: { businessId: string; tool: string }, error: unknown) => void;
}

export interface UsageRecorder {
  /** The hot path's observer (tool-runner.ts). */
  record: ToolCallObserver;
  /** Writes what was counted so far. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  close(): Promise<void>;
}

// Counts of a business deleted meanwhile are dropped (nothing is left to show
// them on), not refused on the foreign key: the business is read with the
// lock that key takes, so a delete in flight is waited for and then seen.
const UPSERT = `
INSERT INTO usage_bucket (business_id, credential, tool, period, bucket_start, calls, refused,
  bad_arguments, failed, duration_ms_sum, histogram, last_used_at)
SELECT t.b, t.c, t.t, t.p, t.s, t.n, t.r, t.a, t.f, t.d,
       ARRAY(SELECT jsonb_array_elements_text(t.h)::int), t.l
FROM jsonb_to_recordset($1::jsonb)
  AS t(b uuid, c text, t text, p text, s timestamp(3), n int, r int, a int, f int, d float8, h jsonb, l timestamp(3))
WHERE (SELECT business.id FROM business WHERE business.id = t.b FOR KEY SHARE) IS NOT NULL
ON CONFLICT (business_id, credential, tool, period, bucket_start) DO UPDATE SET
  calls = usage_bucket.calls + EXCLUDED.calls,
  refused = usage_bucket.refused + EXCLUDED.refused,
  bad_arguments = usage_bucket.bad_arguments + EXCLUDED.bad_arguments,
  failed = usage_bucket.failed + EXCLUDED.failed,
  duration_ms_sum = usage_bucket.duration_ms_sum + EXCLUDED.duration_ms_sum,
  histogram = (SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i)
               FROM unnest(usage_bucket.histogram, EXCLUDED.histogram) WITH ORDINALITY AS u(x, y, i)),
  last_used_at = greatest(usage_bucket.last_used_at, EXCLUDED.last_used_at)`;

// UTC wall time, as Prisma stores DateTime columns.
const utc = (ms: number) => new Date(ms).toISOString().replace('Z', '');

/** Upserts the rows in one statement (adding to rows other instances wrote). */
export async function upsertUsageRows(db: Db, rows: readonly UsageRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.$executeRawUnsafe(
    UPSERT,
    JSON.stringify(
      rows.map((r) => ({
        b: r.businessId,
        c: r.credential,
        t: r.tool,
        p: r.period,
        s: utc(r.bucketStart),
        n: r.calls,
        r: r.refused,
        a: r.badArguments,
        f: r.failed,
        d: r.durationMsSum,
        h: r.histogram,
        l: utc(r.lastUsedAt),
      })),
    ),
  );
}

export function createUsageRecorder(db: Db, options: UsageRecorderOptions = {}): UsageRecorder {
  const interval = options.flushIntervalMs ?? 5_000;
  const maxRetryRows = options.maxRetryRows ?? 20_000;
  let retry: UsageRow[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let closed = false;

  const counter = new UsageCounter({
    maxEntries: options.maxEntries,
    onDropped: options.onDropped,
    onFull: () => void flush(),
  });

  /** Writes the rows; returns those the database could not take now. */
  const write = async (rows: UsageRow[]): Promise<UsageRow[]> => {
    try {
      await upsertUsageRows(db, rows);
      return [];
    } catch (error) {
      if (!isDataError(error)) {
        options.onError?.(error);
        return rows;
      }
      const [only] = rows;
      if (rows.length === 1 && only) {
        options.onRejected?.({ businessId: only.businessId, tool: only.tool }, error);
        return [];
      }
      const half = Math.ceil(rows.length / 2);
      const first = await write(rows.slice(0, half));
      if (first.length > 0) return [...first, ...rows.slice(half)];
      return write(rows.slice(half));
    }
  };

  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      const fresh = usageRows(counter.drain());
      const rows = retry.length > 0 ? mergeRows([...retry, ...fresh]) : fresh;
      retry = [];
      const writable = rows.filter((row) => {
        if (isWritableRow(row)) return true;
        options.onRejected?.(
          { businessId: row.businessId, tool: row.tool },
          new Error('not a business id'),
        );
        return false;
      });
      const unwritten = await write(writable);
      if (unwritten.length > maxRetryRows) {
        options.onDropped?.(unwritten.length - maxRetryRows);
        retry = unwritten.slice(unwritten.length - maxRetryRows);
      } else retry = unwritten;
    });
    return flushing;
  };

  const timer = setInterval(() => void flush(), interval);
  timer.unref();

  return {
    record: (call) => {
      if (!closed) counter.record(call);
    },
    flush,
    async close() {
      closed = true;
      clearInterval(timer);
      await flush();
      if (retry.length > 0) {
        options.onDropped?.(retry.length);
        retry = [];
      }
    },
  };
}
