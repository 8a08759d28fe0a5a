// The soak's fault schedule: which faults, in which order, when each starts
// and how long the outage-style ones last. Pure: the runner decides from it,
// and waits for each recovery before the next fault, so two faults never overlap.

export type FaultKind =
  | 'backend-kill'
  | 'redis-restart'
  | 'redis-unreachable'
  | 'postgres-restart'
  | 'postgres-unreachable'
  | 'secret-roll';

/** The order faults run in: one of each kind. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'backend-kill',
  'redis-restart',
  'redis-unreachable',
  'postgres-restart',
  'postgres-unreachable',
  'secret-roll',
];

export const FAULT_LABELS: Record<FaultKind, string> = {
  'backend-kill': 'kill -9 of a backend holding streams (restarted)',
  'redis-restart': 'Redis restart (AOF)',
  'redis-unreachable': 'Redis unreachable',
  'postgres-restart': 'PostgreSQL fast shutdown + restart',
  'postgres-unreachable': 'PostgreSQL unreachable',
  'secret-roll': 'backend restarted with a rolled MCP_TOKEN_SECRET',
};

export interface PlannedFault {
  kind: FaultKind;
  /** Offset from the start of the load, in ms. */
  atMs: number;
  /** How long the dependency stays cut (unreachable faults only; 0 for the others). */
  outageMs: number;
}

export interface SchedulePlan {
  totalMs: number;
  warmupMs: number;
  faults: PlannedFault[];
}

const isOutage = (kind: FaultKind) =>
  kind === 'redis-unreachable' || kind === 'postgres-unreachable';

/**
 * Spreads the faults over the run: a warm-up (the "before" p99) first, then
 * one slot per fault, each slot holding its outage and room to recover.
 * A run too short for its outages is refused rather than squeezed.
 */
export function planSchedule(
  totalMs: number,
  options: { outageMs?: number; kinds?: readonly FaultKind[] } = {},
): SchedulePlan {
  const kinds = options.kinds ?? FAULT_KINDS;
  const outageMs = options.outageMs ?? 10_000;
  // Long enough for calls to have ended before the first fault: its p99 "before" needs them.
  const warmupMs = Math.max(10_000, Math.round(totalMs * 0.08));
  const tailMs = Math.max(3_000, Math.round(totalMs * 0.05));
  const outages = kinds.filter(isOutage).length * outageMs;
  const spare = totalMs - warmupMs - tailMs - outages;
  const perSlot = kinds.length ? spare / kinds.length : 0;
  if (perSlot < 3_000)
    throw new Error(
      `a ${Math.round(totalMs / 1000)} s run is too short for ${kinds.length} faults with ${outageMs / 1000} s outages`,
    );
  const faults: PlannedFault[] = [];
  let at = warmupMs;
  for (const kind of kinds) {
    const outage = isOutage(kind) ? outageMs : 0;
    faults.push({ kind, atMs: Math.round(at), outageMs: outage });
    at += outage + perSlot;
  }
  return { totalMs, warmupMs, faults };
}

/** `--minutes N` or `--seconds N` (default 3 minutes). */
export function parseDuration(argv: readonly string[]): number {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  const minutes = value('--minutes');
  const seconds = value('--seconds');
  const ms = seconds !== undefined ? seconds * 1000 : (minutes ?? 3) * 60_000;
  if (!Number.isFinite(ms) || ms < 30_000 || ms > 24 * 3_600_000)
    throw new Error('--minutes/--seconds: between 30 seconds and 24 hours');
  return ms;
}
