// Usage on the tools/call hot path: counted in memory only, per (business,
// credential, tool, hour). A call costs one map lookup and a few additions;
// the aggregates are taken away in batches (drain) by usage-recorder.ts, which
// writes them to the database off the hot path.
import { emptyHistogram, histogramBucket } from './usage-histogram.ts';

/** How a call ended, as usage counts it. */
export type UsageOutcome = 'ok' | 'refused' | 'bad_arguments' | 'failed';

export interface ToolCallObservation {
  businessId: string;
  /** The credential id: `key:<apiKeyId>`, `grant:<oauthGrantId>` or `user:<userId>`. */
  credential: string;
  tool: string;
  outcome: UsageOutcome;
  durationMs: number;
}

/** Told of every tools/call (tool-runner.ts); must be cheap and never throw. */
export type ToolCallObserver = (call: ToolCallObservation) => void;

/** A call refused for its arguments before it ran: counted, with no duration. */
export function badArgumentsCall(
  principal: { activeBusinessId: string; credentialId: string },
  tool: string,
): ToolCallObservation {
  return {
    businessId: principal.activeBusinessId,
    credential: principal.credentialId,
    tool,
    outcome: 'bad_arguments',
    durationMs: 0,
  };
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface UsageAggregate {
  businessId: string;
  credential: string;
  tool: string;
  /** Epoch ms of the bucket's start (an hour, or a UTC day once rolled). */
  bucketStart: number;
  calls: number;
  refused: number;
  badArguments: number;
  failed: number;
  durationMsSum: number;
  histogram: number[];
  /** Epoch ms of the last call counted. */
  lastUsedAt: number;
}

export function emptyAggregate(
  key: Pick<UsageAggregate, 'businessId' | 'credential' | 'tool' | 'bucketStart'>,
): UsageAggregate {
  return {
    ...key,
    calls: 0,
    refused: 0,
    badArguments: 0,
    failed: 0,
    durationMsSum: 0,
    histogram: emptyHistogram(),
    lastUsedAt: 0,
  };
}

/** Adds one call to an aggregate. */
export function countCall(aggregate: UsageAggregate, call: ToolCallObservation, at: number): void {
  aggregate.calls++;
  if (call.outcome === 'refused') aggregate.refused++;
  else if (call.outcome === 'bad_arguments') aggregate.badArguments++;
  else if (call.outcome === 'failed') aggregate.failed++;
  const duration = call.durationMs > 0 ? call.durationMs : 0;
  aggregate.durationMsSum += duration;
  const i = histogramBucket(duration);
  aggregate.histogram[i] = (aggregate.histogram[i] ?? 0) + 1;
  if (at > aggregate.lastUsedAt) aggregate.lastUsedAt = at;
}

export interface UsageCounterOptions {
  /** Aggregates held at most between drains; calls for new ones beyond it are dropped (onDropped). */
  maxEntries?: number;
  /** Told when the counter is full (e.g. to drain at once). */
  onFull?: () => void;
  onDropped?: (count: number) => void;
  now?: () => number;
}

export class UsageCounter {
  private buckets = new Map<string, UsageAggregate>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  private readonly options: UsageCounterOptions;
  constructor(options: UsageCounterOptions = {}) {
    this.options = options;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** The hot path: one call counted. */
  readonly record: ToolCallObserver = (call) => {
    const at = this.now();
    const hour = at - (at % HOUR_MS);
    const key = `${call.businessId}\n${call.credential}\n${call.tool}\n${hour}`;
    let aggregate = this.buckets.get(key);
    if (!aggregate) {
      if (this.buckets.size >= this.maxEntries) {
        this.options.onDropped?.(1);
        this.options.onFull?.();
        return;
      }
      aggregate = emptyAggregate({
        businessId: call.businessId,
        credential: call.credential,
        tool: call.tool,
        bucketStart: hour,
      });
      this.buckets.set(key, aggregate);
    }
    countCall(aggregate, call, at);
  };

  get size(): number {
    return this.buckets.size;
  }

  /** Everything counted since the last drain (the counter starts empty again). */
  drain(): UsageAggregate[] {
    if (this.buckets.size === 0) return [];
    const taken = [...this.buckets.values()];
    this.buckets = new Map();
    return taken;
  }
}
