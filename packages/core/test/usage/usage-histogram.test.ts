import { describe, expect, it } from 'vitest';
import {
  bucketUpperBoundMs,
  emptyHistogram,
  histogramBucket,
  histogramQuantile,
  HISTOGRAM_BUCKETS,
  mergeHistogram,
} from '../../src/usage/usage-histogram.ts';

const histogramOf = (durations: number[]) => {
  const h = emptyHistogram();
  for (const d of durations) h[histogramBucket(d)]! += 1;
  return h;
};

describe('usage duration histogram', () => {
  it('puts each duration in the bucket whose bounds hold it', () => {
    for (const ms of [0.3, 1, 2.5, 17, 250, 999, 12_345]) {
      const i = histogramBucket(ms);
      expect(ms).toBeLessThanOrEqual(bucketUpperBoundMs(i));
      expect(ms).toBeGreaterThan(bucketUpperBoundMs(i - 1));
    }
    expect(histogramBucket(0)).toBe(0);
    expect(histogramBucket(-5)).toBe(0);
    expect(histogramBucket(Number.NaN)).toBe(0);
    expect(histogramBucket(1e12)).toBe(HISTOGRAM_BUCKETS - 1);
  });

  it('reads p50 and p95 within one bucket (a factor of 1.42) of the exact values', () => {
    const durations = Array.from({ length: 1000 }, (_, i) => 1 + i * 0.5); // 1..500.5 ms
    const h = histogramOf(durations);
    const exact = (q: number) => durations[Math.ceil(q * durations.length) - 1]!;
    for (const q of [0.5, 0.95]) {
      const read = histogramQuantile(h, q)!;
      expect(read / exact(q)).toBeLessThan(1.42);
      expect(exact(q) / read).toBeLessThan(1.42);
    }
    expect(histogramQuantile(emptyHistogram(), 0.5)).toBeNull();
  });

  it('merges by adding counts index by index: merged quantiles equal those of all calls together', () => {
    const a = [2, 3, 4, 5, 100];
    const b = [40, 41, 42, 900, 1000];
    const merged = mergeHistogram(histogramOf(a), histogramOf(b));
    expect(merged).toEqual(histogramOf([...a, ...b]));
    expect(merged.reduce((s, n) => s + n, 0)).toBe(10);
    expect(histogramQuantile(merged, 0.5)).toBe(histogramQuantile(histogramOf([...a, ...b]), 0.5));
  });
});
