// Where the inspector keeps each session's and sessionless client's recent
// requests: a capped list with a TTL, in Redis (LPUSH + LTRIM + PEXPIRE in one
// pipeline per batch, so every instance reads the same list), or in memory on
// the embedded default (one ring buffer per log, a bounded number of logs).
import type { Redis } from 'ioredis';
import { REQUEST_LOG_CAP, type RequestLogEntry } from './request-log.ts';

export interface RequestLogStore {
  /** Appends each log's entries (oldest first); each log keeps its newest REQUEST_LOG_CAP. */
  append(batch: ReadonlyMap<string, readonly RequestLogEntry[]>): Promise<void>;
  /** A log's entries, newest first. */
  recent(key: string): Promise<RequestLogEntry[]>;
}

/** A fixed-capacity list that overwrites its oldest item once full. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private count = 0;

  readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('capacity >= 1');
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  newestFirst(): T[] {
    const out: T[] = [];
    for (let i = 1; i <= this.count; i++) {
      out.push(this.items[(this.next - i + this.capacity) % this.capacity] as T);
    }
    return out;
  }
}

export interface MemoryRequestLogOptions {
  ttlMs: number;
  /** Logs kept at most; the least recently written goes first. */
  maxLogs?: number;
  cap?: number;
  now?: () => number;
}

export function createMemoryRequestLogStore(options: MemoryRequestLogOptions): RequestLogStore {
  const { ttlMs, maxLogs = 10_000, cap = REQUEST_LOG_CAP, now = Date.now } = options;
  // Map order is write order: the first entry is the least recently written.
  const logs = new Map<string, { ring: RingBuffer<RequestLogEntry>; expiresAt: number }>();
  return {
    async append(batch) {
      const at = now();
      for (const [key, entries] of batch) {
        const found = logs.get(key);
        const log =
          found && found.expiresAt > at
            ? found
            : { ring: new RingBuffer<RequestLogEntry>(cap), expiresAt: 0 };
        for (const entry of entries) log.ring.push(entry);
        log.expiresAt = at + ttlMs;
        logs.delete(key);
        logs.set(key, log);
      }
      while (logs.size > maxLogs) {
        const oldest = logs.keys().next().value as string;
        logs.delete(oldest);
      }
    },
    async recent(key) {
      const log = logs.get(key);
      if (!log) return [];
      if (log.expiresAt <= now()) {
        logs.delete(key);
        return [];
      }
      return log.ring.newestFirst();
    },
  };
}

function parseEntry(raw: string): RequestLogEntry[] {
  try {
    const entry = JSON.parse(raw) as RequestLogEntry;
    return typeof entry === 'object' && entry !== null ? [entry] : [];
  } catch {
    return [];
  }
}

export function createRedisRequestLogStore(
  redis: Redis,
  options: { prefix: string; ttlMs: number; cap?: number },
): RequestLogStore {
  const { prefix, ttlMs, cap = REQUEST_LOG_CAP } = options;
  const redisKey = (key: string) => `${prefix}mcp:inspect:${key}`;
  return {
    async append(batch) {
      if (batch.size === 0) return;
      const pipeline = redis.pipeline();
      for (const [key, entries] of batch) {
        if (entries.length === 0) continue;
        const name = redisKey(key);
        // LPUSH puts its last argument at the head: the newest entry comes first.
        pipeline.lpush(name, ...entries.slice(-cap).map((e) => JSON.stringify(e)));
        pipeline.ltrim(name, 0, cap - 1);
        pipeline.pexpire(name, ttlMs);
      }
      await pipeline.exec();
    },
    async recent(key) {
      const raw = await redis.lrange(redisKey(key), 0, cap - 1);
      return raw.flatMap(parseEntry);
    },
  };
}
