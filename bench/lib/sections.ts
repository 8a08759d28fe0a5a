// Sections 3–6 of the bench (1 and 2, the throughput comparisons, are in run.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createCaller, createTRPCContext } from '@flowpos/api';
import {
  ApiKeyVerifier,
  createAuditLog,
  createMemoryEventBus,
  createRedisSessionStore,
  McpTokenSigner,
  POS_TOOLS,
  SessionDirectory,
  ToolRegistry,
} from '@flowpos/core';
import type { Db } from '@flowpos/db';
import type { Redis } from 'ioredis';
import type { TestUser } from '../../apps/backend/harness/fixtures.ts';
import { startTestServer } from '../../apps/backend/harness/server.ts';
import {
  newAgent,
  request,
  runCount,
  runLoad,
  type Endpoint,
  type LoadClient,
  type LoadResult,
} from './http-load.ts';
import { initializeBody, MCP_ACCEPT, pingBody } from './mcp-http.ts';
import { BENCH_TOKEN_SECRET } from './processes.ts';
import type { Report } from './report.ts';
import type { Settings } from './settings.ts';
import { median, percentile, sleep, timeEach } from './stats.ts';

type Log = (line: string) => void;

const p = (values: ArrayLike<number>, q: number) => percentile(values, q);

/** Median across rounds of a per-round percentile. */
function roundsMedian(rounds: ArrayLike<number>[], q: number): number {
  return median(rounds.map((r) => p(r, q)));
}

// ---------------------------------------------------------------- 3. keys
export async function benchKeyVerification(opts: {
  report: Report;
  db: Db;
  key: string;
  settings: Settings;
}): Promise<void> {
  const { report, db, key, settings } = opts;
  const events = createMemoryEventBus();
  const cached = new ApiKeyVerifier(db, events, { cacheTtlMs: 3_600_000 });
  const uncached = new ApiKeyVerifier(db, events, { cacheTtlMs: 0 });
  if (!(await cached.verify(key)) || !(await uncached.verify(key)))
    throw new Error('key verification failed');
  await timeEach(2_000, () => cached.verify(key));
  await timeEach(100, () => uncached.verify(key));
  const c: Float64Array[] = [];
  const u: Float64Array[] = [];
  for (let r = 0; r < settings.rounds; r++) {
    c.push(await timeEach(settings.keyCached, () => cached.verify(key)));
    u.push(await timeEach(settings.keyUncached, () => uncached.verify(key)));
  }
  cached.close();
  uncached.close();
  const S = '3 key verification';
  const cachedP99 = roundsMedian(c, 99);
  report.add({
    section: S,
    metric: 'cached: p50 / p99',
    value: roundsMedian(c, 50),
    value2: cachedP99,
    unit: 'µs',
    target: 'p99 < 200 µs',
    pass: cachedP99 < 200,
    rounds: c.map((r) => +p(r, 99).toFixed(1)),
    detail: `in-process ApiKeyVerifier.verify, ${settings.keyCached} calls/round`,
  });
  report.add({
    section: S,
    metric: 'uncached (PostgreSQL): p50 / p99',
    value: roundsMedian(u, 50),
    value2: roundsMedian(u, 99),
    unit: 'µs',
    detail: `cacheTtlMs 0: SHA-256 + Prisma findUnique by hash, ${settings.keyUncached} calls/round`,
  });
}

// ---------------------------------------------------------------- 4. tokens
export async function benchTokens(opts: {
  report: Report;
  settings: Settings;
  product: Endpoint;
  merchant: TestUser | undefined;
  log: Log;
}): Promise<void> {
  const { report, settings, product, merchant, log } = opts;
  const S = '4 V2 tokens';
  const signer = new McpTokenSigner({
    secret: BENCH_TOKEN_SECRET,
    ttlSeconds: 3600,
    issuer: 'http://127.0.0.1:4000',
    audience: 'http://127.0.0.1:4000/mcp',
  });
  const { token } = await signer.sign({
    sub: randomUUID(),
    email: 'bench@test.flowpos',
    role: 'merchant',
    businessIds: [randomUUID()],
  });
  await timeEach(1_000, () => signer.verify(token));
  const v: Float64Array[] = [];
  for (let r = 0; r < settings.rounds; r++)
    v.push(await timeEach(settings.tokenVerify, () => signer.verify(token)));
  report.add({
    section: S,
    metric: 'McpTokenSigner.verify: p50 / p99',
    value: roundsMedian(v, 50),
    value2: roundsMedian(v, 99),
    unit: 'µs',
    detail: `in-process, HS256 via jose, ${settings.tokenVerify} calls/round`,
  });

  if (!merchant) {
    report.skip(S, 'POST /mcp/token, /mcp/token/refresh', 'emulator not running');
    return;
  }
  const idToken = await merchant.idToken();
  const headers = { 'content-type': 'application/json' };
  const first = await request(
    undefined,
    product,
    'POST',
    '/mcp/token',
    headers,
    JSON.stringify({ firebaseIdToken: idToken }),
  );
  if (first.status !== 200) throw new Error(`/mcp/token: HTTP ${first.status} ${first.body}`);
  const issued = (JSON.parse(first.body) as { token: string }).token;
  const refreshed = await request(
    undefined,
    product,
    'POST',
    '/mcp/token/refresh',
    headers,
    JSON.stringify({ token: issued }),
  );
  if (refreshed.status !== 200)
    throw new Error(`/mcp/token/refresh: HTTP ${refreshed.status} ${refreshed.body}`);
  const concurrency = 10;
  const clients = (path: string, body: string): LoadClient[] =>
    Array.from({ length: concurrency }, () => ({
      agent: newAgent(),
      endpoints: [product],
      path,
      headers,
      body: () => body,
    }));
  const exchange = clients('/mcp/token', JSON.stringify({ firebaseIdToken: idToken }));
  const refresh = clients('/mcp/token/refresh', JSON.stringify({ token: issued }));
  await runLoad(exchange, 500);
  await runLoad(refresh, 500);
  const ex: LoadResult[] = [];
  const rf: LoadResult[] = [];
  for (let r = 0; r < settings.rounds; r++) {
    ex.push(await runLoad(exchange, settings.httpRoundMs));
    rf.push(await runLoad(refresh, settings.httpRoundMs));
    log(
      `  round ${r + 1}: /mcp/token ${ex.at(-1)?.rps.toFixed(0)} req/s, /refresh ${rf.at(-1)?.rps.toFixed(0)} req/s`,
    );
  }
  for (const c of [...exchange, ...refresh]) c.agent.destroy();
  for (const [label, rs] of [
    ['POST /mcp/token (Firebase ID token exchange)', ex],
    ['POST /mcp/token/refresh', rf],
  ] as const) {
    report.add({
      section: S,
      metric: `${label}: throughput`,
      value: median(rs.map((r) => r.rps)),
      unit: 'req/s',
      rounds: rs.map((r) => Math.round(r.rps)),
      detail: `${concurrency} clients, HTTP against instance A; errors ${rs.reduce((a, r) => a + r.errors, 0)}`,
    });
    report.add({
      section: S,
      metric: `${label}: p50 / p99`,
      value: median(rs.map((r) => r.p50Ms)),
      value2: median(rs.map((r) => r.p99Ms)),
      unit: 'ms',
    });
  }
}

// ---------------------------------------------------------------- 5. sessions
export async function benchSessions(opts: {
  report: Report;
  settings: Settings;
  redis: Redis;
  prefix: string;
  key: string;
  A: Endpoint;
  B: Endpoint;
  log: Log;
}): Promise<string[]> {
  const { report, settings, redis, prefix, key, A, B, log } = opts;
  const S = '5 sessions';
  const headers = {
    'content-type': 'application/json',
    accept: MCP_ACCEPT,
    authorization: `Bearer ${key}`,
  };
  const body = initializeBody('bench-idle');
  const ids: string[] = [];
  const { seconds } = await runCount(
    settings.sessionsToOpen,
    settings.clients,
    async (_i, agent) => {
      const answer = await request(agent, A, 'POST', '/mcp', headers, body);
      const id = answer.headers['mcp-session-id'];
      if (answer.status !== 200 || typeof id !== 'string')
        throw new Error(`initialize: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
      ids.push(id);
    },
  );
  report.add({
    section: S,
    metric: `time to open ${settings.sessionsToOpen.toLocaleString('en-US')} sessions`,
    value: seconds,
    unit: 's',
    detail: `${(settings.sessionsToOpen / seconds).toFixed(0)} initialize/s, ${settings.clients} concurrent clients, one instance, one run`,
  });
  log(`  opened ${ids.length} sessions in ${seconds.toFixed(1)} s`);

  // Redis bytes per session.
  const sample = ids.slice(0, 200);
  const usage = async (k: string) =>
    Number(await redis.call('MEMORY', 'USAGE', k, 'SAMPLES', '0')) || 0;
  const perKey: number[] = [];
  for (const id of sample) perKey.push(await usage(`${prefix}mcp:session:${id}`));
  const jsonBytes = median(
    await Promise.all(sample.slice(0, 50).map((id) => redis.strlen(`${prefix}mcp:session:${id}`))),
  );
  const live = await redis.zcard(`${prefix}mcp:sessions`);
  const indexBytes = await usage(`${prefix}mcp:sessions`);
  let credentialBytes = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${prefix}mcp:credential:*`,
      'COUNT',
      1000,
    );
    cursor = next;
    for (const k of keys) credentialBytes += await usage(k);
  } while (cursor !== '0');
  const keyBytes = median(perKey);
  const share = live ? (indexBytes + credentialBytes) / live : 0;
  report.add({
    section: S,
    metric: 'Redis bytes per session (mcp:session:{id})',
    value: keyBytes,
    unit: 'B',
    target: '≤ 2 KB',
    pass: keyBytes <= 2048,
    detail: `MEMORY USAGE median of ${sample.length}; JSON ${jsonBytes} B; + index/credential-set share ${share.toFixed(0)} B = ${(keyBytes + share).toFixed(0)} B all-in (${live} live)`,
  });

  // Rebuild on another instance: first request on B for a session opened on A, then a second one.
  const agent = newAgent();
  const probe = ids[0] as string;
  await request(
    agent,
    B,
    'POST',
    '/mcp',
    { ...headers, 'mcp-session-id': probe, 'mcp-protocol-version': '2025-11-25' },
    pingBody(1),
  );
  const first: number[] = [];
  const warm: number[] = [];
  const overhead: number[] = [];
  const candidates = ids.slice(sample.length + 1, sample.length + 1 + settings.rebuildSamples);
  for (const id of candidates) {
    const h = { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
    let t0 = performance.now();
    const a1 = await request(agent, B, 'POST', '/mcp', h, pingBody(1));
    const d1 = performance.now() - t0;
    t0 = performance.now();
    const a2 = await request(agent, B, 'POST', '/mcp', h, pingBody(2));
    const d2 = performance.now() - t0;
    if (a1.status !== 200 || a2.status !== 200)
      throw new Error(`ping on B: HTTP ${a1.status}/${a2.status} ${a1.body.slice(0, 200)}`);
    first.push(d1);
    warm.push(d2);
    overhead.push(d1 - d2);
  }
  agent.destroy();
  const firstP50 = p(first, 50);
  report.add({
    section: S,
    metric: 'rebuild on another instance: first request p50',
    value: firstP50,
    unit: 'ms',
    target: '< 1 ms',
    pass: firstP50 < 1,
    detail: `ping on B for a session opened on A (Redis GET + new SDK server/transport + replayed handshake); ${candidates.length} sessions, sequential`,
  });
  report.add({
    section: S,
    metric: 'rebuild on another instance: first request p99',
    value: p(first, 99),
    unit: 'ms',
  });
  report.add({
    section: S,
    metric: 'same session, next request (cached) p50 / p99',
    value: p(warm, 50),
    value2: p(warm, 99),
    unit: 'ms',
    detail: 'the request right after the rebuild, same instance',
  });
  report.add({
    section: S,
    metric: 'rebuild overhead (first − next, paired) p50 / p99',
    value: p(overhead, 50),
    value2: p(overhead, 99),
    unit: 'ms',
  });
  return ids;
}

// ---------------------------------------------------------------- 5. heap
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
    await server.services.audit.flush();
    const before = await settle(gc);
    const cachedBefore = server.services.sessions.cachedCount;
    await open(n);
    await server.services.audit.flush();
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

// ---------------------------------------------------------------- 6. console
export async function benchConsole(opts: {
  report: Report;
  settings: Settings;
  db: Db;
  redis: Redis;
  prefix: string;
  A: Endpoint;
  operator: TestUser | undefined;
  businessId: string;
  log: Log;
}): Promise<void> {
  const { report, settings, db, redis, prefix, A, operator, businessId, log } = opts;
  const S = '6 console tRPC';
  let callKeys: () => Promise<number>;
  let callSessions: () => Promise<number>;
  let how: string;
  let sessionsBytes = 0;
  if (operator) {
    const idToken = await operator.idToken();
    const agent = newAgent();
    const headers = { authorization: `Bearer ${idToken}` };
    const keysPath = `/trpc/keys.list?input=${encodeURIComponent(JSON.stringify({ json: { businessId } }))}`;
    const sessionsPath = `/trpc/sessions.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`;
    const get = async (path: string) => {
      const answer = await request(agent, A, 'GET', path, headers);
      if (answer.status !== 200)
        throw new Error(
          `GET ${path.split('?')[0]}: HTTP ${answer.status} ${answer.body.slice(0, 300)}`,
        );
      return answer.body;
    };
    const count = (body: string) =>
      (
        (JSON.parse(body) as { result: { data: { json: unknown[] | { keys: unknown[] } } } }).result
          .data.json as unknown[]
      ).length;
    callKeys = async () => (await get(keysPath)).length;
    callSessions = async () => (await get(sessionsPath)).length;
    const keysBody = await get(keysPath);
    const sessionsBody = await get(sessionsPath);
    sessionsBytes = sessionsBody.length;
    let keysCount: number | string;
    try {
      keysCount = count(keysBody);
    } catch {
      keysCount = '?';
    }
    how = `HTTP GET /trpc on instance A, operator's Firebase ID token (emulator); ${keysCount} keys, ${(JSON.parse(sessionsBody) as { result: { data: { json: { total: number; items: unknown[] } } } }).result.data.json.total} live sessions (page of ${(JSON.parse(sessionsBody) as { result: { data: { json: { items: unknown[] } } } }).result.data.json.items.length}), ${(sessionsBytes / 1e3).toFixed(0)} kB response`;
  } else {
    // In-process: the same router and procedures, a fake IdTokenVerifier.
    const uid = `bench-operator-${randomBytes(4).toString('hex')}`;
    await db.user.create({
      data: { email: `${uid}@test.flowpos`, firebaseUid: uid, isPlatformOperator: true },
    });
    const events = createMemoryEventBus();
    const services = {
      db,
      audit: createAuditLog(db),
      events,
      sessions: new SessionDirectory(
        createRedisSessionStore(redis, { prefix, idleTtlMs: 86_400_000 }),
        events,
      ),
      registry: new ToolRegistry(POS_TOOLS),
      verifier: {
        verify: async () => ({ uid, email: `${uid}@test.flowpos`, emailVerified: true }),
      },
      issuer: 'http://127.0.0.1:4000',
    };
    const caller = () =>
      createCaller(createTRPCContext({ authorization: 'Bearer fake', services }));
    callKeys = async () => (await caller().keys.list({ businessId })).length;
    callSessions = async () => (await caller().sessions.list({})).items.length;
    how = `in-process createCaller (emulator not running: fake IdTokenVerifier); ${(await caller().sessions.list({})).total} live sessions`;
  }
  log(`  ${how}`);
  const k: number[][] = [];
  const s: number[][] = [];
  for (let r = 0; r < settings.rounds; r++) {
    const kr: number[] = [];
    const sr: number[] = [];
    for (let i = 0; i < settings.trpcKeys; i++) {
      const t0 = performance.now();
      await callKeys();
      kr.push(performance.now() - t0);
    }
    for (let i = 0; i < settings.trpcSessions; i++) {
      const t0 = performance.now();
      await callSessions();
      sr.push(performance.now() - t0);
    }
    k.push(kr);
    s.push(sr);
    log(
      `  round ${r + 1}: keys.list p50 ${p(kr, 50).toFixed(1)} ms, sessions.list p50 ${p(sr, 50).toFixed(1)} ms`,
    );
  }
  report.add({
    section: S,
    metric: 'keys.list p50 / p95',
    value: roundsMedian(k, 50),
    value2: roundsMedian(k, 95),
    unit: 'ms',
    detail: `${settings.trpcKeys} sequential calls/round; ${how}`,
  });
  const sessionsP95 = roundsMedian(s, 95);
  report.add({
    section: S,
    metric: 'sessions.list (operator) p50 / p95',
    value: roundsMedian(s, 50),
    value2: sessionsP95,
    unit: 'ms',
    target: 'p95 < 100 ms',
    pass: sessionsP95 < 100,
    rounds: s.map((r) => +p(r, 95).toFixed(1)),
    detail: `${settings.trpcSessions} sequential calls/round, rounds interleaved with keys.list`,
  });
}
