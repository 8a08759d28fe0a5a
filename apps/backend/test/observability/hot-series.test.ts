// The hot-path histogram renders exactly what prom-client's own Counter and
// Histogram render for the same observations, so /metrics is unchanged.
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HotHistogram } from '../../src/observability/hot-series.ts';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVATIONS: [string, string, number][] = [
  ['GET', '/a', 0.0005],
  ['GET', '/a', 0.001],
  ['GET', '/a', 0.05],
  ['POST', '/b', 2],
  ['POST', '/b', 0.2],
  ['GET', '/a', 0.01],
];

describe('HotHistogram', () => {
  it('renders the same exposition as prom-client for the same observations', async () => {
    const reference = new Registry();
    const registers = [reference];
    const count = new Counter({ name: 't_total', help: 'n', labelNames: ['m', 'r'], registers });
    const duration = new Histogram({
      name: 't_seconds',
      help: 'd',
      labelNames: ['m', 'r'],
      buckets: BUCKETS,
      registers,
    });
    const hot = new Registry();
    const series = new HotHistogram(hot, {
      name: 't_seconds',
      help: 'd',
      labelNames: ['m', 'r'],
      buckets: BUCKETS,
      counter: { name: 't_total', help: 'n' },
    });
    for (const [m, r, v] of OBSERVATIONS) {
      count.inc({ m, r });
      duration.observe({ m, r }, v);
      series.seriesFor(`${m} ${r}`, () => ({ m, r })).observe(v);
    }
    const lines = (text: string) => text.split('\n').filter(Boolean).sort();
    expect(lines(await hot.metrics())).toEqual(lines(await reference.metrics()));
  });

  it('resolves a label set once and reuses its series', () => {
    const series = new HotHistogram(new Registry(), {
      name: 'u_seconds',
      help: 'd',
      labelNames: ['k'],
      buckets: BUCKETS,
    });
    let made = 0;
    const labels = () => (made++, { k: 'x' });
    const first = series.seriesFor('x', labels);
    expect(series.seriesFor('x', labels)).toBe(first);
    expect(made).toBe(1);
  });
});
