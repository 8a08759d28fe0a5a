// Bench section 5 (cont.): heap per 1,000 idle sessions, in-process.
import v8 from 'node:v8';
import vm from 'node:vm';
import { startTestServer } from '../../apps/backend/harness/server.ts';
import { request, runCount, type Endpoint } from '../lib/http-load.ts';
import { initializeBody, MCP_ACCEPT } from '../lib/mcp-http.ts';
import type { Report } from '../lib/report.ts';
import type { Log, Settings } from '../lib/settings.ts';
import { sleep } from '../lib/stats.ts';

function getGc(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

async function settle(gc: (() => void) | undefined): Promise<number> {
  for (let i = 0; i < 4; i++) {
    await sleep(50);
    gc?.();
  }
  return process.memoryUsage().heapUsed;
}

export async function benchHeap(opts: {
  report: Report;
  settings: Settings;
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  key: string;
  log: Log;
}): Promise<void> {
  const { report, settings, databaseUrl, redisUrl, prefix, key, log } = opts;
  const S = '5 sessions';
  const gc = getGc();
  const n = settings.heapSessions;
  const server = await startTestServer({
    databaseUrl,
    redis: true,
    redisUrl,
    redisKeyPrefix: prefix,
    env: {
      SESSION_CACHE_SIZE: String(n + 1_000),
      // Every session here is the same key's: lift the per-credential cap above n.
      MCP_MAX_SESSIONS_PER_CREDENTIAL: String(n + 1_000),
      LOG_LEVEL: 'silent',
    },
  });
  try {
    const endpoint: Endpoint = { host: '127.0.0.1', port: Number(new URL(server.baseUrl).port) };
    const headers = {
      'content-type': 'application/json',
      accept: MCP_ACCEPT,
      authorization: `Bearer ${key}`,
    };
    const body = initializeBody('bench-heap');
    const open = (count: number) =>
      runCount(count, 10, async (_i, agent) => {
        const answer = await request(agent, endpoint, 'POST', '/mcp', headers, body);
        if (answer.status !== 200) throw new Error(`initialize: HTTP ${answer.status}`);
      });
    await open(200); // warm up: JIT, pools, lazily built objects
    await server.services.core.audit.flush();
    const before = await settle(gc);
    const cachedBefore = server.services.sessions.cachedCount;
    await open(n);
    await server.services.core.audit.flush();
    const after = await settle(gc);
    const held = server.services.sessions.cachedCount - cachedBefore;
    const per1000 = ((after - before) / held) * 1000;
    log(
      `  heap ${(before / 1e6).toFixed(1)} MB -> ${(after / 1e6).toFixed(1)} MB for ${held} sessions`,
    );
    report.add({
      section: S,
      metric: 'process heap per 1,000 idle sessions',
      value: per1000 / 1024 / 1024,
      unit: 'MB',
      detail: `in-process startTestServer (Redis store), heapUsed delta after ${gc ? 'forced GC' : 'no GC available'} over ${held} cached sessions (${((after - before) / held / 1024).toFixed(1)} KB each)`,
    });
  } finally {
    await server.close();
  }
}
