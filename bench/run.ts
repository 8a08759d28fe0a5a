// npm run bench: FlowPOS MCP performance against its baselines, measured in
// the same run. Every figure is a median of rounds; every comparison is a
// ratio of A and B measured interleaved (A, B, A, B…). Prints a table and
// writes it to bench/results/latest.json (git-ignored; bench/reference.json is
// the committed reference). BENCH_QUICK=1: ~1-minute smoke run.
// BENCH_PROFILE=1: CPU-profile the product under tools/call load instead.
// See bench/README.md.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, createUser } from '../apps/backend/harness/fixtures.ts';
import {
  endpointOf,
  newAgent,
  type LoadClient,
  type LoadResult,
  runLoad,
} from './lib/http-load.ts';
import { checkToolCall, MCP_ACCEPT, openSession, toolCallClient } from './lib/mcp-http.ts';
import { spawnBaseline, spawnProduct, REPO_ROOT, type ServerProcess } from './lib/processes.ts';
import { Report } from './lib/report.ts';
import { processCpuMs } from './lib/process-cpu.ts';
import { median } from './lib/stats.ts';
import {
  benchConsole,
  benchKeyVerification,
  benchSessions,
  benchHeap,
  benchTokens,
} from './lib/sections.ts';
import { runProfile } from './lib/profile-run.ts';
import {
  CANDIDATE,
  EMULATOR_HOST,
  log,
  PROFILE,
  QUICK,
  REDIS_URL,
  settings,
} from './lib/settings.ts';

const RESULTS = resolve(REPO_ROOT, 'bench/results');

async function emulatorUp(): Promise<boolean> {
  try {
    const res = await fetch(`http://${EMULATOR_HOST}/`, { signal: AbortSignal.timeout(1_500) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** A round's result, with the server's CPU time per request when its pid was given. */
type RoundResult = LoadResult & { cpuMsPerRequest?: number };

/** Interleaved rounds: each round runs every target once, in order; the medians and per-round ratios come back. */
async function interleaved(
  targets: Record<string, LoadClient[]>,
  rounds: number,
  roundMs: number,
  pids: Record<string, number | undefined> = {},
): Promise<Record<string, RoundResult[]>> {
  const out: Record<string, RoundResult[]> = Object.fromEntries(
    Object.keys(targets).map((k) => [k, []]),
  );
  for (let r = 0; r < rounds; r++) {
    for (const [name, clients] of Object.entries(targets)) {
      const cpuBefore = processCpuMs(pids[name]);
      const result: RoundResult = await runLoad(clients, roundMs);
      const cpuAfter = processCpuMs(pids[name]);
      if (cpuBefore !== undefined && cpuAfter !== undefined && result.requests > 0)
        result.cpuMsPerRequest = (cpuAfter - cpuBefore) / result.requests;
      out[name]?.push(result);
      log(
        `  round ${r + 1}/${rounds} ${name}: ${result.rps.toFixed(0)} req/s p50 ${result.p50Ms.toFixed(2)} ms p99 ${result.p99Ms.toFixed(2)} ms${result.cpuMsPerRequest === undefined ? '' : ` cpu ${(result.cpuMsPerRequest * 1000).toFixed(0)} µs/req`}${result.errors ? ` (${result.errors} errors)` : ''}`,
      );
    }
  }
  return out;
}

const med = (results: LoadResult[], pick: (r: LoadResult) => number) => median(results.map(pick));
const ratios = (a: LoadResult[], b: LoadResult[]) =>
  a.map((x, i) => x.rps / (b[i]?.rps ?? Number.NaN));

async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

async function main() {
  const started = Date.now();
  const loadAtStart = loadavg();
  const report = new Report();
  const prefix = `fp:bench:${randomBytes(4).toString('hex')}:`;
  const servers: ServerProcess[] = [];
  let database: TestDatabase | undefined;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const cleanups: (() => Promise<unknown>)[] = [];
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log('interrupted: cleaning up (Ctrl-C again to force)');
    void cleanup().finally(() => process.exit(130));
  };
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse())
      await fn().catch((e) => log(`cleanup: ${String(e)}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    log(
      `mode: ${PROFILE ? 'profile' : QUICK ? 'quick' : 'full'}; ${cpus().length} cpus; load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    await redis.connect();
    cleanups.push(async () => {
      const n = await deleteKeys(redis, prefix);
      log(`deleted ${n} redis keys under ${prefix}`);
      redis.disconnect();
    });
    database = await createTestDatabase('bench');
    const dbHandle = database;
    cleanups.push(() => dbHandle.drop());
    const db = database.prisma;
    const emulator = await emulatorUp();
    if (!emulator)
      log(
        `Firebase Auth Emulator not answering on ${EMULATOR_HOST}: token exchange and HTTP console benches are skipped/in-process`,
      );

    // Fixtures: one business with products and API keys.
    const { business, products } = await createBusiness(
      db,
      `Bench Bar ${randomBytes(2).toString('hex')}`,
      5,
    );
    const sku = products[1]?.sku as string;
    const { key } = await createKey(db, {
      businessId: business.id,
      role: 'merchant',
      scopes: ['pos:read', 'sessions:read'],
    });
    for (let i = 0; i < 24; i++)
      await createKey(db, { businessId: business.id, role: 'merchant', scopes: ['pos:read'] });

    log('starting servers (product ×2, bare SDK, ceiling)');
    const productEnv = {
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      redisKeyPrefix: prefix,
      emulatorHost: EMULATOR_HOST,
    };
    // Git ignores bench/results/: it may not exist in a fresh clone.
    mkdirSync(RESULTS, { recursive: true });
    const profileDir = resolve(RESULTS);
    const [productA, productB, bare, ceiling, candidate, unmetered] = await Promise.all([
      spawnProduct({
        ...productEnv,
        name: 'product-A',
        instanceId: 'bench-A',
        // One file per thread (tsx's loader runs in a worker): the main thread's is the biggest.
        execArgv: PROFILE ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
      }),
      PROFILE
        ? Promise.resolve(undefined)
        : spawnProduct({ ...productEnv, name: 'product-B', instanceId: 'bench-B' }),
      PROFILE ? Promise.resolve(undefined) : spawnBaseline('bare-sdk', 'bench/servers/bare-sdk.ts'),
      PROFILE ? Promise.resolve(undefined) : spawnBaseline('ceiling', 'bench/servers/ceiling.ts'),
      CANDIDATE
        ? spawnProduct({
            ...productEnv,
            name: 'candidate',
            instanceId: 'bench-candidate',
            root: resolve(CANDIDATE),
            execArgv: PROFILE ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
          })
        : Promise.resolve(undefined),
      // The same product without metrics: what /metrics costs on tools/call.
      PROFILE
        ? Promise.resolve(undefined)
        : spawnProduct({
            ...productEnv,
            name: 'product-unmetered',
            instanceId: 'bench-unmetered',
            env: { METRICS_ENABLED: 'false' },
          }),
    ]);
    for (const s of [productA, productB, bare, ceiling, candidate, unmetered])
      if (s) servers.push(s);
    cleanups.push(async () => {
      await Promise.all(servers.map((s) => s.stop()));
    });
    const A = endpointOf(productA.baseUrl);

    // ---- 1. tools/call through the product vs the bare SDK and the ceiling.
    const productSessions = await Promise.all(
      Array.from({ length: settings.clients }, async () => {
        const agent = newAgent();
        const session = await openSession(agent, A, key);
        await checkToolCall(agent, A, session, 'get_product', { sku });
        return { agent, session };
      }),
    );
    const productClients = productSessions.map(({ agent, session }) =>
      toolCallClient(session, [A], 'get_product', { sku }, agent),
    );

    /** One session per client on one instance, each calling get_product. */
    const getProductClients = (ep: ReturnType<typeof endpointOf>) =>
      Promise.all(
        Array.from({ length: settings.clients }, async () => {
          const agent = newAgent();
          const session = await openSession(agent, ep, key);
          await checkToolCall(agent, ep, session, 'get_product', { sku });
          return toolCallClient(session, [ep], 'get_product', { sku }, agent);
        }),
      );
    let candidateClients: LoadClient[] | undefined;
    if (candidate) {
      candidateClients = await getProductClients(endpointOf(candidate.baseUrl));
    }

    if (PROFILE) {
      await runProfile({
        productA: candidate ?? productA,
        productClients: candidateClients ?? productClients,
        settings,
        log,
        resultsDir: RESULTS,
      });
      return;
    }
    if (!productB || !bare || !ceiling || !unmetered) throw new Error('servers missing');
    const unmeteredClients = await getProductClients(endpointOf(unmetered.baseUrl));
    const B = endpointOf(productB.baseUrl);
    const bareEp = endpointOf(bare.baseUrl);
    const ceilingEp = endpointOf(ceiling.baseUrl);

    const bareClients = await Promise.all(
      Array.from({ length: settings.clients }, async () => {
        const agent = newAgent();
        const session = await openSession(agent, bareEp, undefined);
        await checkToolCall(agent, bareEp, session, 'echo', { text: 'hello' });
        return toolCallClient(session, [bareEp], 'echo', { text: 'hello' }, agent);
      }),
    );
    const ceilingClients: LoadClient[] = Array.from({ length: settings.clients }, () => ({
      agent: newAgent(),
      endpoints: [ceilingEp],
      path: '/mcp',
      headers: { 'content-type': 'application/json', accept: MCP_ACCEPT },
      body: (n: number) =>
        `{"jsonrpc":"2.0","id":${n + 1},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}`,
    }));

    log(
      `1. tools/call: ${settings.clients} clients, ${settings.rounds} interleaved rounds of ${settings.roundMs} ms`,
    );
    await runLoad(productClients, settings.warmMs);
    await runLoad(bareClients, settings.warmMs);
    await runLoad(ceilingClients, settings.warmMs);
    await runLoad(unmeteredClients, settings.warmMs);
    if (candidateClients) await runLoad(candidateClients, settings.warmMs);
    const s1 = await interleaved(
      {
        product: productClients,
        unmetered: unmeteredClients,
        bare: bareClients,
        ceiling: ceilingClients,
        ...(candidateClients ? { candidate: candidateClients } : {}),
      },
      settings.rounds,
      settings.roundMs,
      { product: productA.child.pid, unmetered: unmetered.child.pid },
    );
    const S1 = '1 tools/call';
    for (const [name, label] of [
      ['product', 'product get_product (API key + Redis-backed session + PG read + audit)'],
      ['unmetered', 'product without metrics (METRICS_ENABLED=false)'],
      ['bare', 'bare SDK 1.32 stateful echo (node:http)'],
      ['ceiling', 'raw node:http JSON endpoint'],
    ] as const) {
      const rs = s1[name] as LoadResult[];
      report.add({
        section: S1,
        metric: `${label}: throughput`,
        value: med(rs, (r) => r.rps),
        unit: 'req/s',
        rounds: rs.map((r) => Math.round(r.rps)),
        detail: `${settings.clients} clients, JSON responses`,
      });
      report.add({
        section: S1,
        metric: `${label}: p50 / p99`,
        value: med(rs, (r) => r.p50Ms),
        value2: med(rs, (r) => r.p99Ms),
        unit: 'ms',
        detail: `errors ${rs.reduce((a, r) => a + r.errors, 0)}`,
      });
    }
    /** A row for the median of per-round throughput ratios a / b, with an optional minimum. */
    const ratioRow = (metric: string, a: string, b: string, min?: number) => {
      const rs = ratios(s1[a] as LoadResult[], s1[b] as LoadResult[]);
      report.add({
        section: S1,
        metric,
        value: median(rs),
        unit: '×',
        ...(min === undefined ? {} : { target: `≥ ${min.toFixed(2)}×`, pass: median(rs) >= min }),
        rounds: rs.map((v) => +v.toFixed(3)),
        detail: 'median of per-round ratios',
      });
    };
    // The cost of metrics: server CPU per tools/call, with / without (tracing off in both).
    // Throughput swings with whatever else runs on the machine; CPU per request does not.
    const cpuRatios = (s1.product as RoundResult[]).map(
      (p, i) =>
        (p.cpuMsPerRequest ?? NaN) / ((s1.unmetered as RoundResult[])[i]?.cpuMsPerRequest ?? NaN),
    );
    if (cpuRatios.every((r) => Number.isFinite(r))) {
      report.add({
        section: S1,
        metric: 'metrics cost: server CPU per tools/call, with metrics / without',
        value: median(cpuRatios),
        unit: '×',
        target: '≤ 1.03×',
        pass: median(cpuRatios) <= 1.03,
        rounds: cpuRatios.map((v) => +v.toFixed(3)),
        detail: `median of per-round ratios; ${(med(s1.product as RoundResult[], (r) => (r as RoundResult).cpuMsPerRequest ?? NaN) * 1000).toFixed(0)} vs ${(med(s1.unmetered as RoundResult[], (r) => (r as RoundResult).cpuMsPerRequest ?? NaN) * 1000).toFixed(0)} µs/req`,
      });
    }
    ratioRow(
      'throughput with metrics / without (noisy on a shared machine)',
      'product',
      'unmetered',
    );
    ratioRow('ratio product / bare SDK', 'product', 'bare', 1.0);
    ratioRow('ratio product / ceiling', 'product', 'ceiling');
    if (s1.candidate) {
      const rs = s1.candidate;
      report.add({
        section: S1,
        metric: 'candidate (BENCH_CANDIDATE): throughput',
        value: med(rs, (r) => r.rps),
        unit: 'req/s',
        rounds: rs.map((r) => Math.round(r.rps)),
        detail: CANDIDATE,
      });
      report.add({
        section: S1,
        metric: 'candidate: p50 / p99',
        value: med(rs, (r) => r.p50Ms),
        value2: med(rs, (r) => r.p99Ms),
        unit: 'ms',
        detail: `errors ${rs.reduce((a, r) => a + r.errors, 0)}`,
      });
      const cb = ratios(rs, s1.bare as LoadResult[]);
      const cp = ratios(rs, s1.product as LoadResult[]);
      report.add({
        section: S1,
        metric: 'ratio candidate / bare SDK',
        value: median(cb),
        unit: '×',
        target: '≥ 1.00×',
        pass: median(cb) >= 1.0,
        rounds: cb.map((v) => +v.toFixed(3)),
      });
      report.add({
        section: S1,
        metric: 'ratio candidate / product',
        value: median(cp),
        unit: '×',
        rounds: cp.map((v) => +v.toFixed(3)),
      });
      for (const c of candidateClients ?? []) c.agent.destroy();
      await candidate?.stop();
    }

    // ---- 1b. 2026-07-28: stateless tools/call through the product vs the bare SDK 2 handler.
    log('1b. 2026-07-28 stateless tools/call vs the bare SDK 2 createMcpHandler and the 2025 path');
    const bareV2 = await spawnBaseline('bare-sdk-v2', 'bench/servers/bare-sdk-v2.ts');
    servers.push(bareV2);
    const modernClients = (
      ep: ReturnType<typeof endpointOf>,
      bearer: string | undefined,
      tool: string,
      args: Record<string, unknown>,
    ): LoadClient[] => {
      const params = JSON.stringify({
        name: tool,
        arguments: args,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'flowpos-bench', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      });
      return Array.from({ length: settings.clients }, () => ({
        agent: newAgent(),
        endpoints: [ep],
        path: '/mcp',
        headers: {
          'content-type': 'application/json',
          accept: MCP_ACCEPT,
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': tool,
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: (n: number) =>
          `{"jsonrpc":"2.0","id":${n + 1},"method":"tools/call","params":${params}}`,
      }));
    };
    const productModern = modernClients(A, key, 'get_product', { sku });
    const bareModern = modernClients(endpointOf(bareV2.baseUrl), undefined, 'echo', {
      text: 'hello',
    });
    for (const [label, clients] of [
      ['product', productModern],
      ['bare SDK 2', bareModern],
    ] as const) {
      const c = clients[0] as LoadClient;
      const ep = c.endpoints[0] as ReturnType<typeof endpointOf>;
      const res = await fetch(`http://${ep.host}:${ep.port}/mcp`, {
        method: 'POST',
        headers: c.headers,
        body: c.body(0),
      });
      const text = await res.text();
      if (res.status !== 200 || !text.includes('"result"') || text.includes('"isError":true'))
        throw new Error(`2026 tools/call on ${label}: HTTP ${res.status} ${text.slice(0, 300)}`);
    }
    await runLoad(productModern, settings.warmMs);
    await runLoad(bareModern, settings.warmMs);
    const s1b = await interleaved(
      { modern: productModern, legacy: productClients, bareV2: bareModern },
      settings.rounds,
      settings.roundMs,
    );
    const S1B = '1b tools/call, 2026-07-28';
    for (const [name, label] of [
      ['modern', 'product get_product, 2026 stateless (auth + tenant read + audit per request)'],
      ['legacy', 'product get_product, 2025 session'],
      ['bareV2', 'bare SDK 2 createMcpHandler stateless echo (node:http)'],
    ] as const) {
      const rs = s1b[name] as LoadResult[];
      report.add({
        section: S1B,
        metric: `${label}: throughput`,
        value: med(rs, (r) => r.rps),
        unit: 'req/s',
        rounds: rs.map((r) => Math.round(r.rps)),
        detail: `${settings.clients} clients`,
      });
    }
    for (const [metric, a, b, min] of [
      ['ratio product 2026 / bare SDK 2 stateless', 'modern', 'bareV2', 1.0],
      ['ratio product 2026 / product 2025 session', 'modern', 'legacy', 0.9],
    ] as const) {
      const rs = ratios(s1b[a] as LoadResult[], s1b[b] as LoadResult[]);
      report.add({
        section: S1B,
        metric,
        value: median(rs),
        unit: '×',
        target: `≥ ${min.toFixed(1)}×`,
        pass: median(rs) >= min,
        rounds: rs.map((v) => +v.toFixed(3)),
        detail: 'median of per-round ratios',
      });
    }
    for (const c of [...productModern, ...bareModern]) c.agent.destroy();
    await bareV2.stop();

    // ---- 2. Two instances, requests alternating, no affinity.
    log('2. two instances without affinity vs one instance');
    const twoClients = productClients.map((c) => ({ ...c, endpoints: [A, B] }));
    await runLoad(twoClients, settings.warmMs); // B rebuilds each session on its first request
    const s2 = await interleaved(
      { one: productClients, two: twoClients },
      settings.rounds,
      settings.roundMs,
    );
    const S2 = '2 two instances';
    report.add({
      section: S2,
      metric: 'one instance: throughput',
      value: med(s2.one as LoadResult[], (r) => r.rps),
      unit: 'req/s',
      rounds: (s2.one as LoadResult[]).map((r) => Math.round(r.rps)),
      detail: `p50 ${med(s2.one as LoadResult[], (r) => r.p50Ms).toFixed(2)} ms, p99 ${med(s2.one as LoadResult[], (r) => r.p99Ms).toFixed(2)} ms`,
    });
    report.add({
      section: S2,
      metric: 'two instances, alternating: throughput',
      value: med(s2.two as LoadResult[], (r) => r.rps),
      unit: 'req/s',
      rounds: (s2.two as LoadResult[]).map((r) => Math.round(r.rps)),
      detail: `p50 ${med(s2.two as LoadResult[], (r) => r.p50Ms).toFixed(2)} ms, p99 ${med(s2.two as LoadResult[], (r) => r.p99Ms).toFixed(2)} ms; errors ${(s2.two as LoadResult[]).reduce((a, r) => a + r.errors, 0)}`,
    });
    const twoOverOne = ratios(s2.two as LoadResult[], s2.one as LoadResult[]);
    report.add({
      section: S2,
      metric: 'ratio two instances / one',
      value: median(twoOverOne),
      unit: '×',
      target: '≥ 0.90×',
      pass: median(twoOverOne) >= 0.9,
      rounds: twoOverOne.map((v) => +v.toFixed(3)),
      detail: `same ${cpus().length} cores for both`,
    });

    for (const c of [...bareClients, ...ceilingClients]) c.agent.destroy();

    // ---- 3. API key verification in-process.
    log('3. key verification (in-process ApiKeyVerifier)');
    await benchKeyVerification({ report, db, key, settings });

    // ---- 4. V2 tokens.
    log('4. V2 token verification and /mcp/token, /mcp/token/refresh');
    const merchant = emulator
      ? await createUser(db, {
          memberships: [{ businessId: business.id, role: 'merchant' }],
          label: 'bench-merchant',
        })
      : undefined;
    await benchTokens({ report, settings, product: A, merchant, log });

    // ---- 5. Sessions: open 10,000, Redis bytes, rebuild on the other instance.
    log(`5. sessions: open ${settings.sessionsToOpen}, Redis bytes, rebuild on another instance`);
    await benchSessions({ report, settings, redis, prefix, key, A, B, log });

    // ---- 6. Console API with 10,000 live sessions.
    log('6. console tRPC keys.list and sessions.list');
    const operator = emulator
      ? await createUser(db, { operator: true, label: 'bench-operator' })
      : undefined;
    await benchConsole({
      report,
      settings,
      db,
      redis,
      prefix,
      A,
      operator,
      businessId: business.id,
      log,
    });

    // ---- 5 (cont.). Heap per 1,000 idle sessions, in-process.
    for (const c of productClients) c.agent.destroy();
    log(`5. heap per 1,000 idle sessions (in-process server, ${settings.heapSessions} sessions)`);
    await benchHeap({
      report,
      settings,
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      prefix: `${prefix}heap:`,
      key,
      log,
    });

    const [l1s, l5s] = loadAtStart;
    const [l1e, l5e] = loadavg();
    report.note(
      `load average (1/5 min) at start ${l1s?.toFixed(1)}/${l5s?.toFixed(1)}, at end ${l1e?.toFixed(1)}/${l5e?.toFixed(1)} on ${cpus().length} cores: other processes share this machine; compare ratios, not absolute figures`,
    );
    report.note(
      'product instances run apps/backend/src/main.ts under tsx with DATABASE_POOL_SIZE 10, SESSION_CACHE_SIZE 5000, KEY_CACHE_TTL_MS 30000 (defaults), NODE_ENV=test, LOG_LEVEL=warn',
    );
    // Sections in order in the table.
    report.rows.sort((a, b) => a.section.localeCompare(b.section, 'en', { numeric: true }));
    const table = report.table();
    const seconds = (Date.now() - started) / 1000;
    const targets = report.rows.filter((r) => r.target);
    const summary = `${targets.filter((r) => r.pass).length}/${targets.length} targets met; ${seconds.toFixed(0)} s; ${QUICK ? 'BENCH_QUICK=1' : 'full'} run; median of ${settings.rounds} interleaved rounds of ${settings.roundMs / 1000} s`;
    process.stdout.write(
      `\nFlowPOS MCP bench — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} cpus (${cpus()[0]?.model ?? '?'})\n\n${table}\n\n${summary}\n`,
    );
    if (report.notes.length)
      process.stdout.write(`\nnotes:\n${report.notes.map((n) => `- ${n}`).join('\n')}\n`);
    report.write(resolve(RESULTS, 'latest.json'), {
      generatedAt: new Date().toISOString(),
      mode: QUICK ? 'quick' : 'full',
      seconds: Math.round(seconds),
      machine: {
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        loadavgAtStart: loadAtStart,
        loadavgAtEnd: loadavg(),
      },
      settings,
    });
    process.stdout.write(`\nwritten: bench/results/latest.json\n`);
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
