import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAULT_KINDS, parseDuration, planSchedule } from './schedule.ts';

describe('planSchedule', () => {
  it('runs every fault kind once, in order, after a warm-up, within the run', () => {
    const plan = planSchedule(180_000);
    assert.deepEqual(
      plan.faults.map((f) => f.kind),
      [...FAULT_KINDS],
    );
    assert.ok(plan.faults[0]!.atMs >= plan.warmupMs);
    for (let i = 1; i < plan.faults.length; i++) {
      const prev = plan.faults[i - 1]!;
      // Never overlapping: each starts after the previous outage, with room to recover.
      assert.ok(plan.faults[i]!.atMs >= prev.atMs + prev.outageMs + 3_000);
    }
    const last = plan.faults.at(-1)!;
    assert.ok(last.atMs + last.outageMs < plan.totalMs);
  });

  it('gives the unreachable faults their outage and the others none', () => {
    const plan = planSchedule(60_000);
    for (const f of plan.faults)
      assert.equal(f.outageMs, f.kind.endsWith('unreachable') ? 10_000 : 0, f.kind);
  });

  it('refuses a run too short for its outages', () => {
    assert.throws(() => planSchedule(30_000), /too short/);
    assert.doesNotThrow(() => planSchedule(45_000, { outageMs: 2_000 }));
  });
});

describe('parseDuration', () => {
  it('defaults to 3 minutes and reads --minutes or --seconds', () => {
    assert.equal(parseDuration([]), 180_000);
    assert.equal(parseDuration(['--minutes', '5']), 300_000);
    assert.equal(parseDuration(['--seconds', '60']), 60_000);
  });

  it('refuses nonsense', () => {
    assert.throws(() => parseDuration(['--minutes', 'x']));
    assert.throws(() => parseDuration(['--seconds', '5']));
  });
});
