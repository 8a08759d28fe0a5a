// The inspector's hand-off from the request path: `observe` only queues a
// reference (no await, no serialization); a timer turns the queue into
// entries and writes them to the store in one batch, so requests never wait
// on the inspector. The queue is bounded: past `maxQueued` requests are dropped
// (counted) rather than held while the store is slow or down.
import {
  inspectedEntry,
  REQUEST_LOG_CAP,
  type ObservedRequest,
  type RequestLogEntry,
} from './request-log.ts';
import type { RequestLogStore } from './request-log-stores.ts';

export interface RequestLogRecorderOptions {
  store: RequestLogStore;
  instanceId: string;
  /** A tool's `inspectableArguments` (undefined for an unknown tool). */
  safeArguments: (tool: string) => readonly string[] | undefined;
  flushMs?: number;
  maxQueued?: number;
  onError?: (error: unknown) => void;
}

export class RequestLogRecorder {
  private queue: { key: string; observed: ObservedRequest }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  dropped = 0;

  private readonly options: RequestLogRecorderOptions;
  constructor(options: RequestLogRecorderOptions) {
    this.options = options;
  }

  observe(key: string, observed: ObservedRequest): void {
    if (this.queue.length >= (this.options.maxQueued ?? 10_000)) {
      this.dropped++;
      return;
    }
    this.queue.push({ key, observed });
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.options.flushMs ?? 200);
      this.timer.unref();
    }
  }

  /** Writes what is queued (one batch); resolves once written or failed. */
  flush(): Promise<void> {
    const queued = this.queue;
    this.queue = [];
    if (queued.length === 0) return this.flushing;
    const { instanceId, safeArguments } = this.options;
    const batch = new Map<string, RequestLogEntry[]>();
    for (const { key, observed } of queued) {
      let entries = batch.get(key);
      if (!entries) batch.set(key, (entries = []));
      entries.push(inspectedEntry(observed, instanceId, safeArguments));
      // Older ones would be trimmed by the store anyway.
      if (entries.length > REQUEST_LOG_CAP) entries.shift();
    }
    // Batches are written in order: a log never sees a later batch first.
    this.flushing = this.flushing.then(() =>
      this.options.store.append(batch).catch((error: unknown) => this.options.onError?.(error)),
    );
    return this.flushing;
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
