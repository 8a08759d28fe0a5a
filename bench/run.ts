// npm run bench: FlowPOS MCP performance against its baselines, measured in
// the same run. Every figure is a median of rounds; every comparison is a
// ratio of A and B measured interleaved (A, B, A, B…). Prints a table and
// writes it to bench/results/latest.json (git-ignored; bench/reference.json is
// the committed reference). BENCH_QUICK=1: ~1-minute smoke run.
// BENCH_PROFILE=1: CPU-profile the product under tools/call load, per protocol era, instead.
// See bench/README.md.
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createUser } from '../apps/backend/harness/fixtures.ts';
import { fullRunServers, startBenchServers } from './lib/bench-servers.ts';
import { createBenchFixtures } from './lib/fixtures.ts';
import { endpointOf, type Endpoint } from './lib/http-load.ts';
import { REPO_ROOT, type ServerProcess } from './lib/processes.ts';
import { benchProfile } from './lib/profile-run.ts';
import { Report } from './lib/report.ts';
import { Cleanups, openRunContext } from './lib/run-context.ts';
import { publishResults } from './lib/results.ts';
import { EMULATOR_HOST, log, PROFILE, QUICK, REDIS_URL, settings } from './lib/settings.ts';
import { cpuMeters } from './lib/side-cpu.ts';
import { ceilingClients as ceilingLoad, sessionClients } from './lib/tool-call-clients.ts';
import { benchAuditCommit } from './sections/audit-commit.ts';
import { benchConsole } from './sections/console.ts';
import { benchGovernance } from './sections/governance.ts';
import { benchHeap } from './sections/heap.ts';
import { benchKeyVerification } from './sections/key-verification.ts';
import { benchSessions } from './sections/sessions.ts';
import { benchStateless } from './sections/stateless.ts';
import { benchTokens } from './sections/tokens.ts';
import { benchToolCall } from './sections/tool-call.ts';
import { benchTrust } from './sections/trust.ts';
import { benchTwoInstances } from './sections/two-instances.ts';
import { benchViews } from './sections/views.ts';

const RESULTS = resolve(REPO_ROOT, 'bench/results');

async function main() {
  const startedAt = Date.now();
  const loadAtStart = loadavg();
  const report = new Report();
  const cleanups = new Cleanups();
  cleanups.onSignals();

  try {
    log(
      `mode: ${PROFILE ? 'profile' : QUICK ? 'quick' : 'full'}; ${cpus().length} cpus; load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const { redis, prefix, database, emulator, servers } = await openRunContext(cleanups);
    const db = database.prisma;

    // Fixtures: one business with products and API keys.
    const { businessId, sku, key, governedKey } = await createBenchFixtures(db);

    log('starting servers (product ×2, bare SDK, ceiling)');
    const productEnv = {
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      redisKeyPrefix: prefix,
      emulatorHost: EMULATOR_HOST,
    };
    // Git ignores bench/results/: it may not exist in a fresh clone.
    mkdirSync(RESULTS, { recursive: true });
    const started = await startBenchServers(productEnv);
    servers.push(...Object.values(started).filter((v): v is ServerProcess => v !== undefined));
    const { productA, candidate } = started;
    const A = endpointOf(productA.baseUrl);

    // ---- 1. tools/call through the product vs the bare SDK and the ceiling.
    /** One session per client on one instance, each calling get_product. */
    const getProductClients = (ep: Endpoint, bearer = key) =>
      sessionClients(settings, ep, bearer, 'get_product', { sku });
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
    const { productB, bare, ceiling, unmetered, unthrottled, ungoverned } = fullRunServers(started);
    const unmeteredClients = await getProductClients(endpointOf(unmetered.baseUrl));
    const unthrottledClients = await getProductClients(endpointOf(unthrottled.baseUrl));
    const B = endpointOf(productB.baseUrl);
    // Product B, identical to A, with sessions of its own: the A/A floor of every CPU ratio.
    const productBClients = await getProductClients(B);
    // CPU per call in PostgreSQL, Redis and this process, beside each server's own.
    const meters = cpuMeters(db, redis);
    const bareEp = endpointOf(bare.baseUrl);
    const ceilingEp = endpointOf(ceiling.baseUrl);

    const bareClients = await sessionClients(settings, bareEp, undefined, 'echo', {
      text: 'hello',
    });
    const ceilingClients = ceilingLoad(settings, ceilingEp);

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
    await benchViews({ report, settings, database, businessId, sku });

    // ---- 3c. Answering a tools/call only once its audit event is written, in process.
    log('3c. audit before the answer: group commit vs batches');
    await benchAuditCommit({
      report,
      settings,
      databaseUrl: database.url,
      meters,
      businessId,
    });

    // ---- 4. V2 tokens.
    log('4. V2 token verification and /mcp/token, /mcp/token/refresh');
    const merchant = emulator
      ? await createUser(db, {
          memberships: [{ businessId, role: 'merchant' }],
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
      businessId,
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

    publishResults(report, { resultsDir: RESULTS, started: startedAt, loadAtStart });
  } finally {
    await cleanups.run();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
