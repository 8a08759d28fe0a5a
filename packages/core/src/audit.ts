// Audit trail: who did what, to which business, with what outcome. Writes are
// batched so a tools/call never waits on its own audit row; secrets and
// tokens are never passed here (callers give ids, prefixes and names).
import type { Db } from '@flowpos/db';

export interface AuditEntry {
  businessId?: string | null;
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  actorKind: 'user' | 'api_key' | 'token' | 'system';
  actorId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createAuditLog(
  db: Db,
  options: { flushIntervalMs?: number; maxBatch?: number; onError?: (e: unknown) => void } = {},
): AuditLog {
  const maxBatch = options.maxBatch ?? 200;
  let pending: AuditEntry[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const flush = async () => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const batch = pending;
    pending = [];
    if (batch.length === 0) return flushing;
    flushing = flushing.then(async () => {
      try {
        await db.auditEvent.createMany({
          data: batch.map((e) => ({
            businessId: e.businessId ?? null,
            action: e.action,
            outcome: e.outcome,
            actorKind: e.actorKind,
            actorId: e.actorId ?? null,
            details: (e.details ?? {}) as object,
          })),
        });
      } catch (error) {
        options.onError?.(error);
      }
    });
    return flushing;
  };

  return {
    record(entry) {
      pending.push(entry);
      if (pending.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), options.flushIntervalMs ?? 50);
    },
    flush,
    close: flush,
  };
}
