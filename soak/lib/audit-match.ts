// Matches every tools/call a client got an answer to (one audit event owed)
// with the event written for it, by the x-request-id the soak sent and the
// backend stored in the event's details: a call-by-call proof instead of
// counts per window, which misattribute calls answered across a window's edge
// (the server writes its event before the client reads the answer) and let an
// extra event (a call the client gave up on) hide a lost one.
import type { CallSample } from './figures.ts';

export interface AuditWritten {
  atMs: number;
  requestId: string | null;
}

/**
 * A backend killed with SIGKILL loses the audit events it had not yet
 * written: those of calls it answered in its last flush interval (50 ms),
 * or in a batch INSERT not yet committed. Such a loss is reported apart, and
 * only for calls answered from this long before the kill until it was over;
 * any other lost event fails the soak.
 */
export const KILL_LOSS_BOUND_MS = 1_000;

export interface AuditAccount {
  written: ReadonlySet<string>;
  /** Events written for no answered call (a call the client gave up on, or resent): no loss. */
  unmatched: number;
}

export function auditAccount(
  samples: readonly CallSample[],
  written: readonly AuditWritten[],
): AuditAccount {
  const ids = new Set<string>();
  for (const w of written) if (w.requestId) ids.add(w.requestId);
  const owed = new Set(samples.filter((s) => s.audited && s.requestId).map((s) => s.requestId!));
  return {
    written: ids,
    unmatched: written.filter((w) => !w.requestId || !owed.has(w.requestId)).length,
  };
}

export const isWritten = (s: CallSample, account: AuditAccount) =>
  !!s.requestId && account.written.has(s.requestId);

/** A lost event the kill -9 explains: its call answered within the bound before a kill, or during it. */
export const lostToKill = (s: CallSample, kills: readonly { startMs: number; endMs: number }[]) =>
  kills.some((k) => s.endMs >= k.startMs - KILL_LOSS_BOUND_MS && s.endMs <= k.endMs);

/** Owed, written, lost (not explained by a kill) and lost to a kill -9, over `samples`. */
export function auditCounts(
  samples: readonly CallSample[],
  account: AuditAccount,
  kills: readonly { startMs: number; endMs: number }[],
) {
  const owed = samples.filter((s) => s.audited);
  const missing = owed.filter((s) => !isWritten(s, account));
  const toKill = missing.filter((s) => lostToKill(s, kills)).length;
  return {
    expected: owed.length,
    written: owed.length - missing.length,
    lost: missing.length - toKill,
    lostToKill: toKill,
  };
}
