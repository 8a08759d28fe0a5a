// Waits, during the run, until a fault has recovered (as the figures will
// judge it) or its limit has passed: the next fault starts only then, so two
// faults never overlap and each one's recovery is inside its own window.
// Resolves with the moment it recovered (null: the limit passed first).
import {
  p99Before,
  recoveredAt,
  type CallSample,
  type FaultRun,
  type Readiness,
} from './figures.ts';
import { sleep } from './services.ts';

export async function untilRecovered(
  fault: FaultRun,
  seen: { samples: readonly CallSample[]; readiness: readonly Readiness[]; now(): number },
  options: { windowMs: number; limitMs: number },
): Promise<number | null> {
  const before = p99Before(fault, seen.samples);
  const limit = fault.endMs + options.limitMs;
  // Calls still running are not samples yet: a window is judged once its calls had
  // time to finish (1.5x the p99 before), and judged again before moving on.
  const settle = 1.5 * (before ?? 1_000);
  for (;;) {
    await sleep(250);
    const now = seen.now();
    const run = { ...fault, windowEndMs: now - settle };
    const at = recoveredAt(run, seen.samples, seen.readiness, before, {
      windowMs: options.windowMs,
    });
    if (at !== null && now >= at + options.windowMs + settle) return at;
    if (now > limit) return null;
  }
}
