// Tool call durations as a fixed log-scale histogram: bucket i holds the calls
// that took at most 0.25 ms * 2^(i/2). Fixed bounds make histograms from any
// instance and any hour mergeable by adding counts index by index, in memory
// and in the database (an int[] column), and p50/p95 read from a merged one
// are within one bucket (a factor of 1.41) of the truth.
export const HISTOGRAM_BUCKETS = 40;
const FIRST_BOUND_MS = 0.25;

/** The upper bound (ms) of bucket `i`; the last bucket also holds everything slower. */
export function bucketUpperBoundMs(i: number): number {
  return FIRST_BOUND_MS * 2 ** (i / 2);
}

/** The bucket a duration falls in. */
export function histogramBucket(durationMs: number): number {
  if (!(durationMs > FIRST_BOUND_MS)) return 0;
  const i = Math.ceil(2 * Math.log2(durationMs / FIRST_BOUND_MS));
  return i >= HISTOGRAM_BUCKETS ? HISTOGRAM_BUCKETS - 1 : i;
}

export function emptyHistogram(): number[] {
  return new Array<number>(HISTOGRAM_BUCKETS).fill(0);
}

/** Adds `from` into `into` (index by index); a shorter or longer array is read as far as both go. */
export function mergeHistogram(into: number[], from: readonly number[]): number[] {
  const n = Math.min(into.length, from.length);
  for (let i = 0; i < n; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  return into;
}

/**
 * The q-quantile (0 < q <= 1) of the durations counted, in ms: the geometric
 * middle of the bucket holding it (bucket 0: its bound). Null when empty.
 */
export function histogramQuantile(histogram: readonly number[], q: number): number | null {
  let total = 0;
  for (const count of histogram) total += count;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) {
      if (i === 0) return FIRST_BOUND_MS;
      return Math.round(Math.sqrt(bucketUpperBoundMs(i - 1) * bucketUpperBoundMs(i)) * 100) / 100;
    }
  }
  return bucketUpperBoundMs(histogram.length - 1);
}
