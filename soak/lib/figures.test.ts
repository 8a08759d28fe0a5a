import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  faultFigures,
  p99Before,
  percentile,
  recoveredAt,
  totals,
  type CallSample,
  type FaultRun,
  type Readiness,
} from './figures.ts';
import { auditAccount, type AuditWritten } from './audit-match.ts';

/** The events the backend wrote for these calls (by request id, at the call's end). */
const writtenFor = (samples: readonly CallSample[]): AuditWritten[] =>
  samples.filter((s) => s.audited).map((s) => ({ atMs: s.endMs, requestId: s.requestId! }));

/** One call every 100 ms from `from` to `to`, each taking `latency` ms; failed inside `failing`. */
function calls(
  from: number,
  to: number,
  latency: (t: number) => number,
  failing?: [number, number],
) {
  const out: CallSample[] = [];
  for (let t = from; t < to; t += 100) {
    const bad = failing && t >= failing[0] && t < failing[1];
    out.push({
      lane: '2026',
      startMs: t,
      endMs: t + latency(t),
      ok: !bad,
      audited: !bad,
      requestId: `r${t}`,
      ...(bad ? { cause: '503 unavailable' } : {}),
    });
  }
  return out;
}

const ready = (from: number, to: number, down?: [number, number]): Readiness[] => {
  const out: Readiness[] = [];
  for (let t = from; t < to; t += 250)
    out.push({ atMs: t, allReady: !(down && t >= down[0] && t < down[1]) });
  return out;
};

const fault: FaultRun = {
  kind: 'postgres-unreachable',
  label: 'PostgreSQL unreachable',
  startMs: 20_000,
  endMs: 30_000,
  windowEndMs: 50_000,
};

describe('percentile', () => {
  it('is the nearest rank', () => {
    assert.equal(percentile([], 99), null);
    assert.equal(percentile([5], 99), 5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
    assert.equal(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        99,
      ),
      99,
    );
  });
});

describe('recoveredAt', () => {
  it('waits for every instance ready and p99 back within 1.5x', () => {
    // Calls are slow (300 ms) until 33 s, then back to 20 ms; instances ready again at 31 s.
    const samples = calls(
      0,
      50_000,
      (t) => (t >= 20_000 && t < 33_000 ? 300 : 20),
      [20_000, 30_000],
    );
    const at = recoveredAt(fault, samples, ready(0, 50_000, [20_000, 31_000]), 20, {
      windowMs: 2_000,
    });
    assert.equal(at, 33_000);
  });

  it('is null when the window never settles', () => {
    const samples = calls(0, 50_000, () => 20, [20_000, 50_000]);
    assert.equal(recoveredAt(fault, samples, ready(0, 50_000), 20), null);
  });

  it('is null while an instance stays not ready', () => {
    const samples = calls(0, 50_000, () => 20);
    assert.equal(recoveredAt(fault, samples, ready(0, 50_000, [20_000, 60_000]), 20), null);
  });
});

describe('p99Before', () => {
  it('leaves out calls that waited out the previous fault', () => {
    // 10 s calls started before 12 s (the previous fault), 20 ms after; this fault at 20 s.
    const samples = calls(0, 20_000, (t) => (t < 12_000 ? 10_000 : 20));
    assert.equal(p99Before({ startMs: 20_000 }, samples), 10_000);
    assert.equal(p99Before({ startMs: 20_000, calmFromMs: 12_000 }, samples), 20);
  });

  it('is no lower than the worst 3 s window before the fault', () => {
    // 20 ms calls but one of 100 ms: p99 of the 10 s is 20 ms, of its 3 s window 100 ms.
    const samples = calls(0, 20_000, (t) => (t === 14_000 ? 100 : 20));
    assert.equal(p99Before({ startMs: 20_000 }, samples), 100);
  });
});

const noMarks = { retries: [], sessionsLost: [], listenReopened: [] };

describe('faultFigures and totals', () => {
  it('counts per fault: calls by cause, marks, audit, p99s and recovery', () => {
    const samples = calls(
      0,
      50_000,
      (t) => (t >= 20_000 && t < 30_000 ? 400 : 20),
      [20_000, 30_000],
    );
    const marks = {
      retries: [21_000, 22_000, 60_000],
      sessionsLost: [25_000],
      listenReopened: [30_500, 31_000],
    };
    const written = writtenFor(samples);
    const f = faultFigures(
      fault,
      samples,
      marks,
      ready(0, 50_000, [20_000, 30_500]),
      auditAccount(samples, written),
    );
    assert.equal(f.attempted, 300);
    assert.equal(f.failed['503 unavailable'], 100);
    assert.equal(f.succeeded, 200);
    assert.equal(f.retries, 2);
    assert.equal(f.sessionsLost, 1);
    assert.equal(f.listenReopened, 2);
    assert.equal(f.auditExpected, 200);
    assert.equal(f.auditWritten, 200);
    assert.equal(f.auditLost, 0);
    assert.equal(f.p99BeforeMs, 20);
    assert.equal(f.p99AfterMs, 20);
    assert.equal(f.recoverySeconds, 0.5);
    assert.equal(f.faultSeconds, 10);

    // Three events missing: lost, whatever else was written.
    const extra = [1, 2, 3, 4].map((i) => ({ atMs: 40_000, requestId: `gave-up-${i}` }));
    const t = totals(samples, auditAccount(samples, [...written.slice(3), ...extra]), [f], 0);
    assert.equal(t.auditLost, 3);
    assert.equal(t.auditUnmatched, 4);
    assert.equal(t.worstRecoverySeconds, 0.5);
    assert.equal(t.hangs, 0);
  });

  it('matches each call with its own event, whichever side of a window edge each lands on', () => {
    const samples = calls(0, 50_000, () => 30);
    // The server writes the event before the client reads the answer: 10 ms earlier.
    const written = writtenFor(samples).map((w) => ({ ...w, atMs: w.atMs - 10 }));
    const edge = { ...fault, startMs: 20_025, endMs: 20_500 };
    const f = faultFigures(
      edge,
      samples,
      noMarks,
      ready(0, 50_000),
      auditAccount(samples, written),
    );
    assert.equal(f.auditExpected, f.auditWritten);
    assert.equal(f.auditLost, 0);
  });

  it('counts an event missing for a call answered just before a kill -9 as lost, like any other', () => {
    const samples = calls(0, 50_000, () => 20);
    const kill: FaultRun = { ...fault, kind: 'backend-kill', startMs: 20_000, endMs: 23_000 };
    const gone = new Set(['r19900', 'r5000']);
    const written = writtenFor(samples).filter((w) => !gone.has(w.requestId!));
    const account = auditAccount(samples, written);
    const f = faultFigures(kill, samples, noMarks, ready(0, 50_000), account);
    const t = totals(samples, account, [f], 0);
    assert.equal(t.auditLost, 2);
    assert.equal(t.auditWritten + t.auditLost, t.auditExpected);
  });

  it('reports no worst recovery when one fault never recovered', () => {
    const samples = calls(0, 50_000, () => 20);
    const f = faultFigures(
      fault,
      samples,
      { retries: [], sessionsLost: [], listenReopened: [] },
      ready(0, 50_000, [0, 60_000]),
      auditAccount(samples, []),
    );
    assert.equal(f.recoverySeconds, null);
    assert.match(f.recoveryNote ?? '', /\d+ not ready/);
    assert.equal(totals(samples, auditAccount(samples, []), [f], 0).worstRecoverySeconds, null);
  });
});
