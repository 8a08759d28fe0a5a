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

/**
 * Owed, written and lost, over `samples`. A backend answers a tools/call only
 * once its event is written (a group commit), so even a kill -9 loses none:
 * every missing event fails the soak.
 */
export function auditCounts(samples: readonly CallSample[], account: AuditAccount) {
  const owed = samples.filter((s) => s.audited);
  const written = owed.filter((s) => isWritten(s, account)).length;
  return { expected: owed.length, written, lost: owed.length - written };
}
