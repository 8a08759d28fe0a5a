// Audit trail: who did what, to which business, with what outcome. Writes are
// batched; secrets and tokens are never passed here (callers give ids,
// prefixes and names). A caller that must not answer before its event is on
// disk (a tools/call: "an audit event for every call answered", even when
// the process is then killed) awaits committed(): a group commit, in which
// every call waiting meanwhile shares the next INSERT.
// When PostgreSQL fails, a batch is kept for the next write (with a growing
// pause between tries) in a bounded buffer; what overflows it is dropped,
// oldest first, and reported (onDropped: a log line, a metric).
// Entries are made storable when recorded (storable.ts); should PostgreSQL
// still refuse a row's data, the batch is split until that row stands alone,
// which is set aside (onRejected) while every other row is written: no value
// a caller sends can stop the trail for everyone.
import type { CredentialKind } from './credential-kinds.ts';
import type { Db, SqlClient } from '@flowpos/db';
import { isUuid, storableJson, storableText } from './storable.ts';

export interface AuditEntry {
  businessId?: string | null;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  /** A person in the console, a credential over MCP, or the system itself. */
  actorKind: 'user' | CredentialKind | 'system';
  actorId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
  /**
   * Resolves once every entry recorded so far is written: at once if a write
   * is not in flight, else in the one INSERT that follows it, shared by
   * everyone who asked meanwhile. While PostgreSQL fails, resolves at once
   * (the entries wait in the retry buffer; the retry pause is kept).
   */
  committed(): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface AuditLogOptions {
  /**
   * The database's raw client: the INSERT then runs as a named prepared
   * statement, parsed and planned once per connection (PostgreSQL's CPU per
   * statement about halved here; a tools/call waits on one). Without it, Prisma.
   */
  sql?: SqlClient;
  flushIntervalMs?: number;
  maxBatch?: number;
  /** Entries kept for retry while PostgreSQL fails (default 10,000); older ones are dropped beyond it. */
  maxBuffered?: number;
  /**
   * Longest pause between retries while writes fail (default 2 s): what an
   * outage buffered is written within this long of PostgreSQL's return (one
   * failing INSERT per pause meanwhile costs nothing worth saving).
   */
  maxRetryDelayMs?: number;
  onError?: (e: unknown) => void;
  /** Told how many entries were dropped because the retry buffer was full. */
  onDropped?: (count: number) => void;
  /** Told of an entry PostgreSQL refused for its data (never retried; the rest of its batch is written). */
  onRejected?: (entry: { action: string; actorKind: string }, error: unknown) => void;
}

type Pending = AuditEntry & { at: Date };

/** The entry as it can be stored: text and details storable, a business id that is not a UUID kept in details only. */
function storableEntry(entry: AuditEntry): AuditEntry {
  const details = (storableJson(entry.details ?? {}) ?? {}) as Record<string, unknown>;
  let businessId = entry.businessId ?? null;
  if (businessId !== null && !isUuid(businessId)) {
    details.businessId = storableText(String(businessId).slice(0, 200));
    businessId = null;
  }
  return {
    businessId,
    action: storableText(entry.action),
    outcome: entry.outcome,
    actorKind: entry.actorKind,
    actorId: entry.actorId == null ? null : storableText(entry.actorId),
    details,
  };
}

/** PostgreSQL refused the data itself (SQLSTATE classes 22, 23, 54), not the connection or the table. */
export function isDataError(error: unknown): boolean {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } })
    ?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode ?? (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^(22|23|54)[0-9A-Z]{3}$/.test(code);
}

// One fixed-shape statement whatever the batch size: Prisma's createMany
// costs ~25x more CPU for the same rows, on the tools/call hot path.
// The whole batch travels as one JSON parameter: no per-value escaping.
// A row whose business was deleted meanwhile is kept without it, instead of
// failing the batch on the foreign key. The business is read with the lock
// the foreign key takes (FOR KEY SHARE): a delete in flight is waited for and
// then seen, not read past and then tripped over by the foreign-key check.
// Committed asynchronously (synchronous_commit off for this statement's
// transaction only): PostgreSQL has the rows when it answers, so a backend
// killed after answering loses none, and the call does not wait for the WAL
// to reach the disk (0.1 vs 0.3-0.9 ms here). Only a crash of PostgreSQL
// itself could lose its last ~0.6 s of events (docs/runbook.md §9).
const INSERT_EVENTS = `INSERT INTO audit_event (id, business_id, action, outcome, actor_kind, actor_id, details, created_at)
  SELECT gen_random_uuid(),
         (SELECT business.id FROM business WHERE business.id = t.b FOR KEY SHARE),
         t.a, t.o, t.k, t.i, coalesce(t.d, '{}'::jsonb), t.c
  FROM jsonb_to_recordset($1::jsonb) AS t(b uuid, a text, o text, k text, i text, d jsonb, c timestamp(3)),
       (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit`;

export function createAuditLog(db: Db, options: AuditLogOptions = {}): AuditLog {
  const maxBatch = options.maxBatch ?? 200;
  const maxBuffered = options.maxBuffered ?? 10_000;
  const interval = options.flushIntervalMs ?? 50;
  const maxRetryDelay = options.maxRetryDelayMs ?? 2_000;
  // Each entry keeps the time it happened, not the time its batch was written.
  let pending: Pending[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;

  const schedule = (delayMs: number) => {
    timer ??= setTimeout(() => void flush(), delayMs);
    timer.unref?.();
  };

  /** Puts a failed batch back in front of newer entries, within the bound. */
  const keepForRetry = (batch: Pending[]) => {
    pending = [...batch, ...pending];
    const over = pending.length - maxBuffered;
    if (over > 0) {
      pending = pending.slice(over);
      options.onDropped?.(over);
    }
    failures++;
    schedule(Math.min(interval * 2 ** failures, maxRetryDelay));
  };

  const insert = async (batch: Pending[]) => {
    const rows = JSON.stringify(
      batch.map((e) => ({
        b: e.businessId ?? null,
        a: e.action,
        o: e.outcome,
        k: e.actorKind,
        i: e.actorId ?? null,
        d: e.details ?? {},
        // UTC wall time, as Prisma stores DateTime columns.
        c: e.at.toISOString().replace('Z', ''),
      })),
    );
    if (options.sql)
      await options.sql.query({ name: 'fp_audit_insert', text: INSERT_EVENTS, values: [rows] });
    else await db.$executeRawUnsafe(INSERT_EVENTS, rows);
  };

  /**
   * Writes the batch; returns what PostgreSQL could not take now (kept for a
   * retry). A row refused for its data is found by halving and set aside.
   */
  const write = async (batch: Pending[]): Promise<Pending[]> => {
    try {
      await insert(batch);
      return [];
    } catch (error) {
      if (!isDataError(error)) {
        options.onError?.(error);
        return batch;
      }
      const [only] = batch;
      if (batch.length === 1 && only) {
        options.onRejected?.({ action: only.action, actorKind: only.actorKind }, error);
        return [];
      }
      const half = Math.ceil(batch.length / 2);
      const first = await write(batch.slice(0, half));
      // PostgreSQL failing meanwhile: the second half waits for the retry as it is.
      if (first.length > 0) return [...first, ...batch.slice(half)];
      return write(batch.slice(half));
    }
  };

  const flush = async () => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const batch = pending;
    pending = [];
    if (batch.length === 0) return flushing;
    flushing = flushing.then(async () => {
      const unwritten = await write(batch);
      if (unwritten.length > 0) keepForRetry(unwritten);
      else failures = 0;
    });
    return flushing;
  };

  // The group commit queued behind the write in flight, shared by every caller until it starts.
  let queued: Promise<void> | undefined;
  const committed = (): Promise<void> => {
    if (failures > 0) return Promise.resolve();
    if (pending.length === 0) return flushing;
    queued ??= flushing.then(() => {
      queued = undefined;
      return flush();
    });
    return queued;
  };

  return {
    committed,
    record(entry) {
      pending.push({ ...storableEntry(entry), at: new Date() });
      if (pending.length > maxBuffered) {
        pending.shift();
        options.onDropped?.(1);
      }
      // While writes fail, the retry timer (with its growing pause) decides when to write.
      if (failures === 0 && pending.length >= maxBatch) void flush();
      else schedule(interval);
    },
    flush,
    async close() {
      await flush();
      // PostgreSQL still fails at shutdown: what is left is lost, and said so.
      if (pending.length > 0) {
        if (timer) clearTimeout(timer);
        timer = undefined;
        options.onDropped?.(pending.length);
        pending = [];
      }
    },
  };
}
