// The sales chart's buckets: local hours for one local day (DST included),
// local days for a range, empty buckets kept, refunds netted.
import { describe, expect, it } from 'vitest';
import { resolveRange } from '../../src/pos/date-range.ts';
import { salesChart, type ChartOrder } from '../../src/pos/sales-chart.ts';

const order = (iso: string, totalCents: number, refundedCents = 0): ChartOrder => ({
  placedAt: new Date(iso),
  totalCents,
  refundedCents,
  status:
    refundedCents === totalCents ? 'refunded' : refundedCents ? 'partially_refunded' : 'completed',
});

const range = (from: string, to: string, timeZone: string) =>
  resolveRange({ from, to }, timeZone) as { gte: Date; lt: Date };

describe('salesChart', () => {
  it('one local day: 24 local hours, net of refunds, fully refunded orders not counted', () => {
    const chart = salesChart(
      [
        order('2026-11-29T08:05:00Z', 1000), // 00:05 in Los Angeles
        order('2026-11-29T20:30:00Z', 500, 200), // 12:30
        order('2026-11-29T20:45:00Z', 300, 300), // 12:45, refunded
      ],
      range('2026-11-29', '2026-11-29', 'America/Los_Angeles'),
      'America/Los_Angeles',
    );
    expect(chart.unit).toBe('hour');
    expect(chart.points).toHaveLength(24);
    expect(chart.points[0]).toEqual({ key: '00', netCents: 1000, orderCount: 1 });
    expect(chart.points[12]).toEqual({ key: '12', netCents: 300, orderCount: 1 });
    expect(chart.points.reduce((sum, p) => sum + p.netCents, 0)).toBe(1300);
  });

  it('a day with a DST change still has one bucket per local hour', () => {
    // Europe/Paris falls back on 2026-10-25: two 02:00 hours share one bucket.
    const chart = salesChart(
      [order('2026-10-25T00:30:00Z', 100), order('2026-10-25T01:30:00Z', 200)],
      range('2026-10-25', '2026-10-25', 'Europe/Paris'),
      'Europe/Paris',
    );
    expect(chart.points.map((p) => p.key)).toEqual(
      Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
    );
    expect(chart.points[2]).toEqual({ key: '02', netCents: 300, orderCount: 2 });
  });

  it('a range: every local day, empty ones included', () => {
    const chart = salesChart(
      [order('2026-11-01T23:30:00Z', 700), order('2026-11-03T10:00:00Z', 400)],
      range('2026-11-01', '2026-11-04', 'Asia/Tokyo'),
      'Asia/Tokyo',
    );
    expect(chart.unit).toBe('day');
    expect(chart.points).toEqual([
      { key: '2026-11-01', netCents: 0, orderCount: 0 },
      { key: '2026-11-02', netCents: 700, orderCount: 1 }, // 08:30 on the 2nd in Tokyo
      { key: '2026-11-03', netCents: 400, orderCount: 1 },
      { key: '2026-11-04', netCents: 0, orderCount: 0 },
    ]);
  });
});
