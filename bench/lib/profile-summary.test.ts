// node --import tsx --test bench/lib/*.test.ts
// Profile categories: a frame's own category, else its nearest categorised caller's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REPO_ROOT } from './processes.ts';
import { formatCategoryTable, summariseProfile, type CpuProfile } from './profile-summary.ts';

const file = (path: string) => `file://${REPO_ROOT}/${path}`;
const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
  id,
  callFrame: { functionName, url, lineNumber: 0, columnNumber: 0 },
  children,
});

/** One sample of 1 ms on each listed leaf, `n` times. */
function profileOf(samples: [number, number][]): CpuProfile {
  const nodes = [
    frame(1, '(root)', '', [2, 4, 6, 8, 9, 10, 11, 13, 14]),
    frame(2, 'routeHandler', file('node_modules/fastify/lib/route.js'), [3]),
    frame(3, 'parse', ''), // JSON.parse under Fastify: HTTP
    frame(4, 'query', file('node_modules/pg/lib/client.js'), [5]),
    frame(5, 'writev', ''), // a socket write under pg: DB client
    frame(6, 'onStreamRead', 'node:internal/stream_base_commons', [7]),
    frame(7, 'readStart', ''), // no categorised caller
    frame(8, '(garbage collector)', ''),
    frame(9, 'verify', file('apps/backend/src/mcp/interfaces/guards/mcp-api-key.guard.ts')),
    frame(10, 'get', file('packages/core/src/sessions/redis-session-store.ts')),
    frame(11, 'validate', file('node_modules/@modelcontextprotocol/server/dist/index.mjs'), [12]),
    frame(12, 'validate', file('node_modules/ajv/dist/core.js')), // shared helper: SDK
    frame(13, 'observe', file('node_modules/prom-client/lib/histogram.js')),
    frame(14, '(idle)', ''),
  ];
  const ids = samples.flatMap(([id, n]) => Array<number>(n).fill(id));
  return {
    nodes,
    samples: ids,
    timeDeltas: ids.map(() => 1000),
    startTime: 0,
    endTime: ids.length * 1000,
  };
}

test('builtins and Node internals count for their nearest categorised caller', () => {
  const summary = summariseProfile(
    profileOf([
      [3, 20],
      [5, 30],
      [7, 5],
      [8, 10],
      [9, 10],
      [10, 5],
      [12, 15],
      [13, 5],
      [14, 50],
    ]),
  );
  const share = Object.fromEntries(summary.categories.map((c) => [c.name, c.selfPct]));
  assert.deepEqual(share, {
    'DB client': 30,
    HTTP: 20,
    SDK: 15,
    GC: 10,
    auth: 10,
    'Node runtime & I/O (no app caller)': 5,
    session: 5,
    metrics: 5,
  });
  assert.equal(summary.totalMs, 100, 'idle time is left out');
});

test('the category table puts eras side by side with µs per call', () => {
  const a = summariseProfile(
    profileOf([
      [3, 60],
      [5, 40],
    ]),
  );
  const b = summariseProfile(
    profileOf([
      [3, 20],
      [5, 80],
    ]),
  );
  const table = formatCategoryTable([
    { label: '2025-session', summary: a, requests: 100 },
    { label: '2026-stateless', summary: b, requests: 50 },
  ]).split('\n');
  assert.match(table[2] ?? '', /^HTTP\s+60\.0%\s+600 µs\s+20\.0%\s+400 µs$/);
  assert.match(table[3] ?? '', /^DB client\s+40\.0%\s+400 µs\s+80\.0%\s+1600 µs$/);
  assert.match(table.at(-1) ?? '', /^total\s+100%\s+1000 µs\s+100%\s+2000 µs$/);
});
