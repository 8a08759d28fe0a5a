// The soak's figures, from what the load recorded: per fault, calls attempted
// / succeeded / failed by cause, retries, sessions lost, listen streams
// re-established, audit events expected vs written, p99 before / during /
// after, and the recovery time. Pure: timestamps in, numbers out.
import { auditCounts, type AuditAccount } from './audit-match.ts';
import type { FaultKind } from './schedule.ts';

export interface CallSample {
  lane: string;
  startMs: number;
  endMs: number;
  ok: boolean;
  /** Why it failed (a short category), when it did. */
  cause?: string;
  /** The failure as the client saw it (for the results file). */
  detail?: string;
  /** A tools/call the server answered (result or tool error): one audit event is owed. */
  audited?: boolean;
  /** The x-request-id its tools/call went out with (stored in its audit event). */
  requestId?: string;
}

export interface Marks {
  retries: number[];
  sessionsLost: number[];
  listenReopened: number[];
}

export interface Readiness {
  atMs: number;
  /** Every instance answered /readyz 200. */
  allReady: boolean;
}

export interface FaultRun {
  kind: FaultKind;
  label: string;
  startMs: number;
  /** When the fault's action ended: the dependency back, the process replaced. */
  endMs: number;
  /** The window the fault's figures cover ends here (the next fault's start, or the run's end). */
  windowEndMs: number;
  /**
   * Calls started before this (the previous fault's recovery) say nothing
   * about "before": they waited out the previous fault. 0 for the first.
   */
  calmFromMs?: number;
}

export interface FaultFigures {
  kind: FaultKind;
  label: string;
  faultSeconds: number;
  attempted: number;
  succeeded: number;
  failed: Record<string, number>;
  retries: number;
  sessionsLost: number;
  listenReopened: number;
  /** Calls started in the window and answered: one event owed each, matched by request id. */
  auditExpected: number;
  auditWritten: number;
  /** Owed and not written: any fails the soak. */
  auditLost: number;
  p99BeforeMs: number | null;
  p99DuringMs: number | null;
  p99AfterMs: number | null;
  /** From the fault's end until every instance is ready and p99 is back within 1.5x; null: not within the window. */
  recoverySeconds: number | null;
  /** When it never recovered: why its windows did not count. */
  recoveryNote?: string;
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

const latencies = (samples: readonly CallSample[]) =>
  samples.filter((s) => s.ok).map((s) => s.endMs - s.startMs);

const within = (t: number, from: number, to: number) => t >= from && t < to;

export interface RecoveryOptions {
  /** Calls started in [t, t + windowMs) decide whether p99 is back at t. */
  windowMs?: number;
  stepMs?: number;
  /** Fewer calls than this in a window says nothing about p99. */
  minSamples?: number;
  factor?: number;
  /** Told why each window judged did not show recovery (for the report of a fault that never recovered). */
  explain?: (why: 'not ready' | 'few calls' | 'a call failed' | 'slow', p99?: number) => void;
}

/**
 * The first moment at or after the fault's end from which every instance is
 * ready (and stays so in the window) and calls started in the following window
 * all succeed with p99 within `factor` x the p99 before.
 */
export function recoveredAt(
  fault: FaultRun,
  samples: readonly CallSample[],
  readiness: readonly Readiness[],
  p99Before: number | null,
  options: RecoveryOptions = {},
): number | null {
  const windowMs = options.windowMs ?? 3_000;
  const step = options.stepMs ?? 250;
  const minSamples = options.minSamples ?? 5;
  const factor = options.factor ?? 1.5;
  const ordered = [...readiness].sort((a, b) => a.atMs - b.atMs);
  const readyFrom = (t: number) => {
    // The last probe at or before t must say ready, and none after it within the window may say otherwise.
    const last = ordered.filter((r) => r.atMs <= t).at(-1);
    if (!last?.allReady) return false;
    return ordered.every((r) => !within(r.atMs, t, t + windowMs) || r.allReady);
  };
  const explain = options.explain ?? (() => undefined);
  for (let t = fault.endMs; t + windowMs <= fault.windowEndMs; t += step) {
    if (!readyFrom(t)) {
      explain('not ready');
      continue;
    }
    const inWindow = samples.filter((s) => within(s.startMs, t, t + windowMs));
    if (inWindow.length < minSamples) explain('few calls');
    else if (inWindow.some((s) => !s.ok)) explain('a call failed');
    if (inWindow.length < minSamples || inWindow.some((s) => !s.ok)) continue;
    const p99 = percentile(latencies(inWindow), 99);
    if (p99Before === null || (p99 !== null && p99 <= factor * p99Before)) return t;
    explain('slow', p99 ?? undefined);
  }
  return null;
}

/** Why a fault never recovered: how many windows failed for each reason (for the report). */
export function whyNotRecovered(
  fault: FaultRun,
  samples: readonly CallSample[],
  readiness: readonly Readiness[],
  p99Before: number | null,
  options: RecoveryOptions = {},
): string {
  const counts = new Map<string, number>();
  let best: number | null = null;
  recoveredAt(fault, samples, readiness, p99Before, {
    ...options,
    explain: (why, p99) => {
      counts.set(why, (counts.get(why) ?? 0) + 1);
      if (p99 !== undefined && (best === null || p99 < best)) best = p99;
    },
  });
  const parts = [...counts].map(([why, n]) => `${n} ${why}`);
  if (best !== null) parts.push(`best p99 ${best} ms vs ${p99Before} ms before`);
  return `windows after the fault: ${parts.join(', ') || 'none (the run ended)'}`;
}

/**
 * p99 before the fault: of the calls that ended in the `beforeMs` before it,
 * and no lower than the worst p99 of the `windowMs` windows in that time —
 * recovery is judged on windows that short, so it is compared with what
 * such a window showed on this machine before (a loaded 2-core CI machine
 * has slow seconds without any fault).
 */
export function p99Before(
  fault: Pick<FaultRun, 'startMs' | 'calmFromMs'>,
  samples: readonly CallSample[],
  beforeMs = 10_000,
  windowMs = 3_000,
) {
  const calm = samples.filter((s) => s.startMs >= (fault.calmFromMs ?? 0));
  const from = Math.max(fault.startMs - beforeMs, fault.calmFromMs ?? 0);
  const recent = calm.filter((s) => within(s.endMs, from, fault.startMs));
  // A slow start (few calls ended yet): every call before the fault.
  const base =
    recent.length >= 20
      ? recent
      : calm.filter((s) => s.endMs < fault.startMs).length >= 5
        ? calm.filter((s) => s.endMs < fault.startMs)
        : samples.filter((s) => s.endMs < fault.startMs);
  let worst = percentile(latencies(base), 99);
  for (let t = from; t + windowMs <= fault.startMs; t += windowMs / 3) {
    const w = recent.filter((s) => within(s.startMs, t, t + windowMs));
    const p = w.length >= 5 ? percentile(latencies(w), 99) : null;
    if (p !== null && (worst === null || p > worst)) worst = p;
  }
  return worst;
}

export function faultFigures(
  fault: FaultRun,
  samples: readonly CallSample[],
  marks: Marks,
  readiness: readonly Readiness[],
  audit: AuditAccount,
  options: RecoveryOptions & { beforeMs?: number } = {},
): FaultFigures {
  const beforeMs = options.beforeMs ?? 10_000;
  const mine = samples.filter((s) => within(s.startMs, fault.startMs, fault.windowEndMs));
  const before = p99Before(fault, samples, beforeMs, options.windowMs ?? 3_000);
  const recovered = recoveredAt(fault, samples, readiness, before, options);
  const during = mine.filter((s) => s.startMs < (recovered ?? fault.windowEndMs));
  const after = mine.filter((s) => recovered !== null && s.startMs >= recovered);
  const failed: Record<string, number> = {};
  for (const s of mine)
    if (!s.ok) failed[s.cause ?? 'other'] = (failed[s.cause ?? 'other'] ?? 0) + 1;
  const count = (ts: readonly number[]) =>
    ts.filter((t) => within(t, fault.startMs, fault.windowEndMs)).length;
  // Each call's event is looked up by its request id: a window owns both sides of its calls.
  const events = auditCounts(mine, audit);
  return {
    kind: fault.kind,
    label: fault.label,
    faultSeconds: round1((fault.endMs - fault.startMs) / 1000),
    attempted: mine.length,
    succeeded: mine.filter((s) => s.ok).length,
    failed,
    retries: count(marks.retries),
    sessionsLost: count(marks.sessionsLost),
    listenReopened: count(marks.listenReopened),
    auditExpected: events.expected,
    auditWritten: events.written,
    auditLost: events.lost,
    p99BeforeMs: before,
    p99DuringMs: percentile(latencies(during), 99),
    p99AfterMs: percentile(latencies(after), 99),
    recoverySeconds: recovered === null ? null : round1((recovered - fault.endMs) / 1000),
    ...(recovered === null
      ? { recoveryNote: whyNotRecovered(fault, samples, readiness, before, options) }
      : {}),
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export interface Totals {
  attempted: number;
  succeeded: number;
  failed: Record<string, number>;
  auditExpected: number;
  auditWritten: number;
  /** Owed events never written, a kill -9 included: any fails the soak. */
  auditLost: number;
  /** Events written for no answered call (given up on or resent by the client). */
  auditUnmatched: number;
  http5xx: number;
  hangs: number;
  worstRecoverySeconds: number | null;
}

export function totals(
  samples: readonly CallSample[],
  audit: AuditAccount,
  faults: readonly FaultFigures[],
  http5xx: number,
): Totals {
  const failed: Record<string, number> = {};
  for (const s of samples)
    if (!s.ok) failed[s.cause ?? 'other'] = (failed[s.cause ?? 'other'] ?? 0) + 1;
  const events = auditCounts(samples, audit);
  const recoveries = faults.map((f) => f.recoverySeconds);
  return {
    attempted: samples.length,
    succeeded: samples.filter((s) => s.ok).length,
    failed,
    auditExpected: events.expected,
    auditWritten: events.written,
    auditLost: events.lost,
    auditUnmatched: audit.unmatched,
    http5xx,
    hangs: failed.hang ?? 0,
    worstRecoverySeconds: recoveries.some((r) => r === null)
      ? null
      : Math.max(0, ...(recoveries as number[])),
  };
}
