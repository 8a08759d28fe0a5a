// node --import tsx --test bench/lib/*.test.ts
// CPU per call outside the server, and CPU ratios printed with their A/A floor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aaRow, cpuRatioRow, cpuRow } from './cpu-rows.ts';
import type { RoundResult } from './interleaved.ts';
import { cpuPerRequest } from './side-cpu.ts';

test('PostgreSQL counts every backend seen at the end, a new one in full', () => {
  const before = {
    server: 100,
    postgres: new Map([
      [1, 50],
      [2, 10],
      [3, 7],
    ]),
    redis: 20,
    loadgen: 5,
  };
  // Backend 3 closed during the round (lost); backend 4 opened during it.
  const after = {
    server: 300,
    postgres: new Map([
      [1, 90],
      [2, 30],
      [4, 40],
    ]),
    redis: 30,
    loadgen: 25,
  };
  assert.deepEqual(cpuPerRequest(before, after, 100), {
    server: 2,
    postgres: 1,
    redis: 0.1,
    loadgen: 0.2,
  });
});

test('a part that could not be read is left out, not counted as zero', () => {
  const parts = cpuPerRequest({ loadgen: 0 }, { loadgen: 10 }, 10);
  assert.deepEqual(parts, { loadgen: 1 });
});

const round = (serverMs: number, postgresMs = 0): RoundResult => ({
  requests: 1000,
  errors: 0,
  seconds: 1,
  rps: 1000,
  p50Ms: 1,
  p99Ms: 2,
  cpuMsPerRequest: serverMs,
  cpu: { server: serverMs, postgres: postgresMs, redis: 0.01, loadgen: 0.1 },
});

test('a CPU ratio carries the A/A spread of the same rounds', () => {
  const a = [round(0.4), round(0.5), round(0.45)];
  const b = [round(0.5), round(0.4), round(0.45)];
  const unmetered = [round(0.4), round(0.4), round(0.4)];
  const aa = aaRow('1', 'server CPU, A / B', a, b);
  assert.ok(aa);
  assert.equal(aa.floor.median, 1);
  assert.equal(aa.floor.min, 0.8);
  assert.equal(aa.floor.max, 1.25);
  const row = cpuRatioRow('1', 'metrics cost', a, unmetered, aa.floor, { max: 1.03 });
  assert.equal(row?.value, 1.125);
  assert.equal(row?.pass, false);
  assert.match(row?.detail ?? '', /A\/A 1\.00× \(rounds 0\.80–1\.25×\): inside, noise$/);
  const heavier = [round(0.8), round(0.9), round(0.85)];
  const outside = cpuRatioRow('1', 'metrics cost', heavier, unmetered, aa.floor);
  assert.match(outside?.detail ?? '', /: outside$/);
});

test('CPU per call sums the server, PostgreSQL, Redis and the load generator', () => {
  const row = cpuRow('1', 'product', [round(0.4, 0.1), round(0.5, 0.2), round(0.45, 0.1)]);
  assert.deepEqual(row?.parts, {
    server: 450,
    PostgreSQL: 100,
    Redis: 10,
    'load generator': 100,
  });
  assert.equal(row?.value, 660);
});
