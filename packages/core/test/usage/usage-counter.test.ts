import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  HOUR_MS,
  UsageCounter,
  type ToolCallObservation,
} from '../../src/usage/usage-counter.ts';
import { mergeRows, usageRows } from '../../src/usage/usage-rows.ts';

const BUSINESS = '6f1c1c52-7d43-4b0e-9d1e-4a3f7a0c1b11';
const call = (over: Partial<ToolCallObservation> = {}): ToolCallObservation => ({
  businessId: BUSINESS,
  credential: 'key:k1',
  tool: 'list_products',
  outcome: 'ok',
  durationMs: 3,
  ...over,
});

describe('UsageCounter', () => {
  it('counts per business, credential, tool and hour, with errors by kind and last use', () => {
    let now = Date.UTC(2026, 11, 7, 10, 59, 59, 0);
    const counter = new UsageCounter({ now: () => now });
    counter.record(call());
    counter.record(call({ outcome: 'refused' }));
    counter.record(call({ outcome: 'bad_arguments' }));
    counter.record(call({ outcome: 'failed', durationMs: 800 }));
    counter.record(call({ credential: 'grant:g1' }));
    counter.record(call({ tool: 'whoami' }));
    now += 1000; // the next hour
    counter.record(call());
    const aggregates = counter.drain();
    expect(counter.size).toBe(0);
    expect(aggregates).toHaveLength(4);
    const first = aggregates.find(
      (a) => a.credential === 'key:k1' && a.tool === 'list_products' && a.calls === 4,
    )!;
    expect(first).toMatchObject({
      bucketStart: Date.UTC(2026, 11, 7, 10),
      refused: 1,
      badArguments: 1,
      failed: 1,
      durationMsSum: 809,
      lastUsedAt: Date.UTC(2026, 11, 7, 10, 59, 59, 0),
    });
    expect(first.histogram.reduce((s, n) => s + n, 0)).toBe(4);
    const next = aggregates.find((a) => a.bucketStart === Date.UTC(2026, 11, 7, 11))!;
    expect(next.calls).toBe(1);
    expect(counter.drain()).toEqual([]);
  });

  it('drops calls for new buckets beyond its bound, and says so', () => {
    let dropped = 0;
    let full = 0;
    const counter = new UsageCounter({
      maxEntries: 2,
      onDropped: (n) => (dropped += n),
      onFull: () => full++,
    });
    counter.record(call({ tool: 'a' }));
    counter.record(call({ tool: 'b' }));
    counter.record(call({ tool: 'c' }));
    counter.record(call({ tool: 'a' })); // an existing bucket still counts
    expect(dropped).toBe(1);
    expect(full).toBe(1);
    expect(counter.drain().map((a) => [a.tool, a.calls])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});

describe('usage rows', () => {
  it('writes each hour aggregate as an hour row and adds it into its UTC day row', () => {
    const day = Date.UTC(2026, 11, 7);
    let now = day + 3 * HOUR_MS;
    const counter = new UsageCounter({ now: () => now });
    counter.record(call());
    now = day + 20 * HOUR_MS;
    counter.record(call({ outcome: 'failed' }));
    now = day + DAY_MS + 1;
    counter.record(call());
    const rows = usageRows(counter.drain());
    const hours = rows.filter((r) => r.period === 'hour');
    const days = rows.filter((r) => r.period === 'day');
    expect(hours.map((r) => r.bucketStart).sort()).toEqual([
      day + 3 * HOUR_MS,
      day + 20 * HOUR_MS,
      day + DAY_MS,
    ]);
    expect(days.map((r) => [r.bucketStart, r.calls, r.failed])).toEqual([
      [day, 2, 1],
      [day + DAY_MS, 1, 0],
    ]);
  });

  it('merges rows of the same key (no statement updates a row twice) and makes text storable', () => {
    const counter = new UsageCounter();
    counter.record(call({ tool: 'bad\u0000name\uD800', credential: 'key:x'.repeat(100) }));
    const [hour] = usageRows(counter.drain()).filter((r) => r.period === 'hour');
    expect(hour!.tool).toBe('bad\uFFFDname\uFFFD');
    expect(hour!.credential.length).toBe(200);
    const twice = mergeRows([hour!, hour!]);
    expect(twice).toHaveLength(1);
    expect(twice[0]!.calls).toBe(2);
    expect(twice[0]!.histogram.reduce((s, n) => s + n, 0)).toBe(2);
    expect(hour!.calls).toBe(1); // inputs untouched
  });
});
