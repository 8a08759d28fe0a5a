// Histograms (with their request counter) for the per-request hot path. A label
// set is resolved to its series once; after that an observation is a few array
// increments. prom-client 15's own label children validate and hash their
// labels again on every inc/observe, and keep buckets in float-keyed objects:
// on a tools/call that was most of what metrics cost.
//
// The values are rendered by prom-client's Registry like its own metrics: a
// registered metric is any object with `name`, `help`, `type` and `get()`
// returning prom-client's MetricObjectWithValues (what Registry.metrics()
// reads), so /metrics keeps one exposition code path.
import type { Registry } from 'prom-client';

export class HotSeries {
  /** Observations per bucket, not cumulative (made cumulative when scraped). */
  readonly buckets: Float64Array;
  count = 0;
  sum = 0;

  readonly labels: Readonly<Record<string, string>>;
  private readonly bounds: readonly number[];
  constructor(labels: Readonly<Record<string, string>>, bounds: readonly number[]) {
    this.labels = labels;
    this.bounds = bounds;
    this.buckets = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        this.buckets[i]! += 1;
        break;
      }
    }
    this.count++;
    this.sum += value;
  }
}

/** One line of the exposition: prom-client's MetricValueWithName. */
interface Sample {
  metricName?: string;
  labels: Readonly<Record<string, string | number>>;
  /** Rendered after `labels` (prom-client puts a bucket's `le` first). */
  sharedLabels?: Readonly<Record<string, string>>;
  value: number;
}

interface Snapshot {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: Sample[];
}

interface Exposed extends Omit<Snapshot, 'values'> {
  get(): Promise<Snapshot>;
}

/**
 * A histogram whose series are looked up by a caller-made key, plus (optionally)
 * a counter of the same observations under its own name: one observe feeds both.
 */
export class HotHistogram<L extends string> {
  private readonly series = new Map<string, HotSeries>();

  private readonly options: {
    name: string;
    help: string;
    labelNames: readonly L[];
    buckets: readonly number[];
    /** A counter of the same observations (e.g. `…_total`), rendered from the histogram's counts. */
    counter?: { name: string; help: string };
  };
  constructor(
    registry: Registry,
    options: {
      name: string;
      help: string;
      labelNames: readonly L[];
      buckets: readonly number[];
      /** A counter of the same observations (e.g. `…_total`), rendered from the histogram's counts. */
      counter?: { name: string; help: string };
    },
  ) {
    this.options = options;
    register(registry, {
      name: options.name,
      help: options.help,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({
        name: options.name,
        help: options.help,
        type: 'histogram',
        aggregator: 'sum',
        values: [...this.series.values()].flatMap((s) => this.histogramValues(s)),
      }),
    });
    const counter = options.counter;
    if (counter)
      register(registry, {
        name: counter.name,
        help: counter.help,
        type: 'counter',
        aggregator: 'sum',
        get: async () => ({
          name: counter.name,
          help: counter.help,
          type: 'counter',
          aggregator: 'sum',
          values: [...this.series.values()].map((s) => ({ labels: s.labels, value: s.count })),
        }),
      });
  }

  /** The series for `key`, made from `labels()` the first time the key is seen. */
  seriesFor(key: string, labels: () => Record<L, string>): HotSeries {
    let series = this.series.get(key);
    if (!series) {
      series = new HotSeries(labels(), this.options.buckets);
      this.series.set(key, series);
    }
    return series;
  }

  private histogramValues(s: HotSeries): Sample[] {
    const name = this.options.name;
    let cumulative = 0;
    const out: Sample[] = this.options.buckets.map((le, i) => {
      cumulative += s.buckets[i] ?? 0;
      return {
        metricName: `${name}_bucket`,
        labels: { le },
        sharedLabels: s.labels,
        value: cumulative,
      };
    });
    out.push({
      metricName: `${name}_bucket`,
      labels: { le: '+Inf' },
      sharedLabels: s.labels,
      value: s.count,
    });
    out.push({ metricName: `${name}_sum`, labels: s.labels, value: s.sum });
    out.push({ metricName: `${name}_count`, labels: s.labels, value: s.count });
    return out;
  }
}

function register(registry: Registry, metric: Exposed): void {
  // Registry.registerMetric is typed for prom-client's own classes; it reads
  // only name, type and get() (see the header), which Exposed provides.
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
}
