// npm run bench: FlowPOS MCP performance against its baselines, measured in
// the same run. Every figure is a median of rounds; every comparison is a
// ratio of A and B measured interleaved (A, B, A, B…). Prints a table and
// writes it to bench/results/latest.json (git-ignored; bench/reference.json is
// the committed reference). BENCH_QUICK=1: ~1-minute smoke run.
// BENCH_PROFILE=1: CPU-profile the product under tools/call load, per protocol era, instead.
// See bench/README.md.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, createUser } from '../apps/backend/harness/fixtures.ts';
import { deleteKeysUnder } from '../apps/backend/harness/redis-keys.ts';
import { endpointOf, newAgent, type LoadClient } from './lib/http-load.ts';
import { checkToolCall, MCP_ACCEPT, openSession, toolCallClient } from './lib/mcp-http.ts';
import { spawnBaseline, spawnProduct, REPO_ROOT, type ServerProcess } from './lib/processes.ts';
import { Report } from './lib/report.ts';
import { cpuMeters } from './lib/side-cpu.ts';
import { benchAuditCommit } from './sections/audit-commit.ts';
import { benchConsole } from './sections/console.ts';
import { benchHeap } from './sections/heap.ts';
import { benchGovernance, UNGOVERNED_ENV } from './sections/governance.ts';
import { benchKeyVerification } from './sections/key-verification.ts';
import { benchSessions } from './sections/sessions.ts';
import { benchTokens } from './sections/tokens.ts';
import { INSPECT_FLAG } from './lib/inspector-profiler.ts';
import { benchProfile } from './lib/profile-run.ts';
import { benchStateless } from './sections/stateless.ts';
import { benchToolCall } from './sections/tool-call.ts';
import { benchTrust } from './sections/trust.ts';
import { benchTwoInstances } from './sections/two-instances.ts';
import { benchViews } from './sections/views.ts';
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
      const n = await deleteKeysUnder(redis, prefix);
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
    // Governed as a merchant would: an explicit tool policy, its own calls per minute, caps (section 1d).
    const { key: governedKey } = await createKey(db, {
      businessId: business.id,
      role: 'merchant',
      scopes: ['pos:read', 'sessions:read'],
      toolPolicy: { kind: 'tools', tools: ['get_product', 'list_products', 'whoami'] },
    });
    await db.apiKey.updateMany({
      where: { businessId: business.id, toolPolicy: 'tools' },
      data: { callsPerMinute: 1_000_000_000, saleIntentsPerDay: 50, refundIntentsPerDay: 10 },
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
    const [productA, productB, bare, ceiling, candidate, unmetered, unthrottled, ungoverned] =
      await Promise.all([
        spawnProduct({
          ...productEnv,
          name: 'product-A',
          instanceId: 'bench-A',
          // Profiled over the inspector, around each load only (not start-up).
          execArgv: PROFILE && !CANDIDATE ? [INSPECT_FLAG] : [],
        }),
        PROFILE
          ? Promise.resolve(undefined)
          : spawnProduct({ ...productEnv, name: 'product-B', instanceId: 'bench-B' }),
        PROFILE
          ? Promise.resolve(undefined)
          : spawnBaseline('bare-sdk', 'bench/servers/bare-sdk.ts'),
        PROFILE ? Promise.resolve(undefined) : spawnBaseline('ceiling', 'bench/servers/ceiling.ts'),
        CANDIDATE
          ? spawnProduct({
              ...productEnv,
              name: 'candidate',
              instanceId: 'bench-candidate',
              root: resolve(CANDIDATE),
              execArgv: PROFILE ? [INSPECT_FLAG] : [],
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
        // The same product without throttling: what rate limits cost on tools/call.
        PROFILE
          ? Promise.resolve(undefined)
          : spawnProduct({
              ...productEnv,
              name: 'product-unthrottled',
              instanceId: 'bench-unthrottled',
              env: { RATE_LIMIT_ENABLED: 'false' },
            }),
        // The same product with usage, the inspector and credential limits off (section 1d).
        PROFILE
          ? Promise.resolve(undefined)
          : spawnProduct({
              ...productEnv,
              name: 'product-ungoverned',
              instanceId: 'bench-ungoverned',
              env: { ...UNGOVERNED_ENV },
            }),
      ]);
    for (const s of [
      productA,
      productB,
      bare,
      ceiling,
      candidate,
      unmetered,
      unthrottled,
      ungoverned,
    ])
      if (s) servers.push(s);
    cleanups.push(async () => {
      await Promise.all(servers.map((s) => s.stop()));
    });
    const A = endpointOf(productA.baseUrl);

    // ---- 1. tools/call through the product vs the bare SDK and the ceiling.
    /** One session per client on one instance, each calling get_product. */
    const getProductClients = (ep: ReturnType<typeof endpointOf>, bearer = key) =>
      Promise.all(
        Array.from({ length: settings.clients }, async () => {
          const agent = newAgent();
          const session = await openSession(agent, ep, bearer);
          await checkToolCall(agent, ep, session, 'get_product', { sku });
          return toolCallClient(session, [ep], 'get_product', { sku }, agent);
        }),
      );
    const productClients = await getProductClients(A);
    const candidateClients = candidate
      ? await getProductClients(endpointOf(candidate.baseUrl))
      : undefined;

    if (PROFILE) {
      await benchProfile({
        server: candidate ?? productA,
        sessionClients: candidateClients ?? productClients,
        key,
        sku,
        settings,
        report,
        log,
        resultsDir: RESULTS,
        machine: { node: process.version, cpus: cpus().length, loadavgAtStart: loadAtStart },
      });
      return;
    }
    if (!productB || !bare || !ceiling || !unmetered || !unthrottled || !ungoverned)
      throw new Error('servers missing');
    const unmeteredClients = await getProductClients(endpointOf(unmetered.baseUrl));
    const unthrottledClients = await getProductClients(endpointOf(unthrottled.baseUrl));
    const B = endpointOf(productB.baseUrl);
    // Product B, identical to A, with sessions of its own: the A/A floor of every CPU ratio.
    const productBClients = await getProductClients(B);
    // CPU per call in PostgreSQL, Redis and this process, beside each server's own.
    const meters = cpuMeters(db, redis);
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
    await benchToolCall({
      report,
      settings,
      productClients,
      productBClients,
      unmeteredClients,
      bareClients,
      ceilingClients,
      candidateClients,
      cpuPids: {
        product: productA.child.pid,
        productB: productB.child.pid,
        unmetered: unmetered.child.pid,
        bare: bare.child.pid,
        ceiling: ceiling.child.pid,
        candidate: candidate?.child.pid,
      },
      meters,
    });
    for (const c of candidateClients ?? []) c.agent.destroy();
    await candidate?.stop();

    // ---- 1c. What throttling and the per-request rights check cost.
    log('1c. trust costs: throttling on / off, the rights check per request');
    await benchTrust({
      report,
      settings,
      redis,
      productClients,
      productBClients,
      unthrottledClients,
      cpuPids: {
        product: productA.child.pid,
        productB: productB.child.pid,
        unthrottled: unthrottled.child.pid,
      },
      meters,
    });
    for (const c of unthrottledClients) c.agent.destroy();
    await unthrottled.stop();

    // ---- 1d. Governance: tool policy, credential limits, usage counting and the inspector, on / off.
    log('1d. governance costs: policy, limits, usage and inspector on / off, both eras');
    const ungovernedEp = endpointOf(ungoverned.baseUrl);
    const governedSessions = {
      governed: await getProductClients(A, governedKey),
      governedB: await getProductClients(B, governedKey),
      ungoverned: await getProductClients(ungovernedEp),
    };
    await benchGovernance({
      report,
      settings,
      sessions: governedSessions,
      endpoints: { A, B, ungoverned: ungovernedEp },
      keys: { governed: governedKey, plain: key },
      sku,
      pids: {
        governed: productA.child.pid,
        governedB: productB.child.pid,
        ungoverned: ungoverned.child.pid,
      },
      meters,
    });
    for (const c of Object.values(governedSessions).flat()) c.agent.destroy();
    await ungoverned.stop();

    // ---- 1b. 2026-07-28: stateless tools/call through the product vs the bare SDK 2 handler.
    log('1b. 2026-07-28 stateless tools/call vs the bare SDK 2 createMcpHandler and the 2025 path');
    await benchStateless({
      report,
      settings,
      A,
      B,
      key,
      sku,
      productClients,
      pids: { a: productA.child.pid, b: productB.child.pid },
      meters,
      track: (server) => servers.push(server),
    });
    for (const c of productBClients) c.agent.destroy();

    // ---- 2. Two instances, requests alternating, no affinity.
    log('2. two instances without affinity vs one instance');
    await benchTwoInstances({ report, settings, productClients, A, B });

    for (const c of [...bareClients, ...ceilingClients]) c.agent.destroy();

    // ---- 3. API key verification in-process.
    log('3. key verification (in-process ApiKeyVerifier)');
    await benchKeyVerification({ report, db, key, settings });

    // ---- 3b. What the views (MCP Apps) cost on tools/call, in process.
    log('3b. views on tools/call: servers built with and without the views');
    await benchViews({ report, settings, database, businessId: business.id, sku });

    // ---- 3c. Answering a tools/call only once its audit event is written, in process.
    log('3c. audit before the answer: group commit vs batches');
    await benchAuditCommit({
      report,
      settings,
      databaseUrl: database.url,
      meters,
      businessId: business.id,
    });

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
