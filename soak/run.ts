// npm run soak: faults under load (issue 22). Starts a private PostgreSQL and
// redis-server (behind TCP proxies the soak can cut), three backends behind
// HAProxy, a steady mixed load, and one fault of each kind in turn; then
// prints the figures per fault, writes soak/results/latest.json and exits 1
// when anything accepted was lost, an intent applied twice, a 5xx was not a
// proper 503, a call hung, or a recovery took longer than --max-recovery.
//   npm run soak (3 minutes) | -- --minutes 10 | -- --seconds 60 --max-recovery 10
//   --results FILE, --outage-seconds N (default 10), --verbose (backend lines too)
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  faultFigures,
  totals,
  type CallSample,
  type FaultRun,
  type Readiness,
} from './lib/figures.ts';
import { newRecorder, soakFetch } from './lib/client-fetch.ts';
import { oauthAccessToken } from './lib/oauth.ts';
import { listenLane } from './lib/listen.ts';
import { runFault } from './lib/faults.ts';
import { readyz, REPO_ROOT, startFleet, type Fleet } from './lib/fleet.ts';
import {
  consoleLane,
  HANG_MS,
  proposalLane,
  sessionLane,
  statelessLane,
  type LoadContext,
} from './lib/load.ts';
import { summary, violations } from './lib/report.ts';
import { untilRecovered } from './lib/recovery-wait.ts';
import { prepareDatabase } from './lib/setup.ts';
import { auditWritten, integrity } from './lib/checks.ts';
import { auditAccount } from './lib/audit-match.ts';
import { FAULT_LABELS, parseDuration, planSchedule } from './lib/schedule.ts';
import {
  freePort,
  sleep,
  startPostgres,
  startRedis,
  type Postgres,
  type RedisServer,
} from './lib/services.ts';
import { startTcpProxy, type TcpProxy } from './lib/tcp-proxy.ts';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const say = (line = '') => process.stdout.write(`${line}\n`);
const totalMs = parseDuration(argv);
const maxRecovery = Number(flag('--max-recovery') ?? 10);
const outageMs = Number(flag('--outage-seconds') ?? 10) * 1000;
const verbose = argv.includes('--verbose');
const plan = planSchedule(totalMs, { outageMs });
/** Calls started within this many seconds decide whether p99 is back. */
const RECOVERY_WINDOW_S = 3;

const dir = mkdtempSync(join(tmpdir(), 'flowpos-soak-'));
// PostgreSQL runs as its own user when we are root: it must reach its folder inside.
chmodSync(dir, 0o711);
let postgres: Postgres | undefined;
let redis: RedisServer | undefined;
let fleet: Fleet | undefined;
const proxies: TcpProxy[] = [];
let cleaned = false;

async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  await fleet?.stopAll().catch(() => undefined);
  await Promise.all(proxies.map((p) => p.close().catch(() => undefined)));
  await redis?.stop().catch(() => undefined);
  postgres?.destroy();
  rmSync(dir, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => void cleanup().finally(() => process.exit(130)));
process.on('exit', () => {
  // Last resort (a crash): no child outlives the soak.
  for (const b of fleet?.backends ?? []) b.child?.kill('SIGKILL');
  redis?.child()?.kill('SIGKILL');
  postgres?.destroy();
});

const errorLines: string[] = [];

async function main(): Promise<number> {
  const [pgPort, redisPort, lbPort, ...backendPorts] = await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  );
  say(
    `Soak: ${Math.round(totalMs / 1000)} s, faults at ${plan.faults.map((f) => `${Math.round(f.atMs / 1000)} s`).join(', ')} (work dir ${dir})`,
  );
  mkdirSync(join(dir, 'pg'));
  mkdirSync(join(dir, 'redis'));
  postgres = await startPostgres(join(dir, 'pg'), pgPort!);
  redis = await startRedis(join(dir, 'redis'), redisPort!);
  const pgProxy = await startTcpProxy({ port: pgPort! });
  const redisProxy = await startTcpProxy({ port: redisPort! });
  proxies.push(pgProxy, redisProxy);

  const { database, business, products, order, merchant, keys } = await prepareDatabase(postgres);
  const db = database.prisma;

  let secret = randomBytes(32).toString('hex');
  fleet = await startFleet({
    dir,
    lbPort: lbPort!,
    ports: backendPorts,
    env: {
      NODE_ENV: 'development',
      DATABASE_URL: postgres.url('flowpos_soak', pgProxy.port),
      DATABASE_POOL_SIZE: '5',
      REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
      REDIS_KEY_PREFIX: 'soak:',
      MCP_TOKEN_SECRET: secret,
      FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST ?? '127.0.0.1:9099',
      LOG_FORMAT: 'json',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    },
    // Error lines are kept for the end of the run (all lines with --verbose).
    log: (line) => {
      if (verbose) say(line);
      else if (line.includes('"level":50') && errorLines.length < 20)
        errorLines.push(line.slice(0, 1_500));
    },
  });
  const lbUrl = fleet.lbUrl;
  say(
    `Fleet ready: ${lbUrl}/mcp (backends ${backendPorts.join(', ')}; PostgreSQL ${pgPort} via ${pgProxy.port}, Redis ${redisPort} via ${redisProxy.port})`,
  );

  let idToken = await merchant.idToken();
  const exchanged = await fetch(`${lbUrl}/mcp/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ firebaseIdToken: idToken }),
  });
  if (!exchanged.ok)
    throw new Error(`token exchange: ${exchanged.status} ${await exchanged.text()}`);
  const v2Token = ((await exchanged.json()) as { token: string }).token;

  const oauthToken = await oauthAccessToken(lbUrl, idToken, business.id);

  const rec = newRecorder();
  const samples: CallSample[] = [];
  let running = true;
  const ctx: LoadContext = {
    mcpUrl: `${lbUrl}/mcp`,
    baseUrl: lbUrl,
    rec,
    samples,
    running: () => running,
    sku: products[0]!.sku,
  };
  const loadStartedAt = new Date();
  const readiness: Readiness[] = [];
  const poll = setInterval(() => {
    const at = rec.now();
    void Promise.all(fleet!.backends.map((b) => readyz(b.port))).then((r) =>
      readiness.push({ atMs: at, allReady: r.every(Boolean) }),
    );
  }, 250);
  const stopStreams = new AbortController();
  const consoleFetch = soakFetch(rec, 'trpc');
  const trpc = async (path: string, init: RequestInit) => {
    const res = await consoleFetch(`${lbUrl}/trpc/${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${idToken}` },
      signal: AbortSignal.timeout(HANG_MS),
    });
    // The body read here: the caller needs the status only.
    return new Response(await res.text(), { status: res.status });
  };
  const keyOf = (i: number) => () => keys[i]!.key;
  const lanes = [
    ...[0, 1, 2, 0].map((k, i) => sessionLane(ctx, keys[k]!.key, `soak-2025-${i}`)),
    statelessLane(ctx, keyOf(1), 'soak-2026-key'),
    statelessLane(ctx, () => v2Token, 'soak-2026-token'),
    statelessLane(ctx, () => oauthToken, 'soak-2026-oauth'),
    listenLane(ctx, keyOf(2), 'soak-listen-key', stopStreams.signal),
    listenLane(ctx, () => v2Token, 'soak-listen-token', stopStreams.signal),
    listenLane(ctx, () => oauthToken, 'soak-listen-oauth', stopStreams.signal),
    proposalLane(ctx, keyOf(0), order.id, (intentId) =>
      trpc('intents.approve', {
        method: 'POST',
        body: JSON.stringify({ json: { businessId: business.id, intentId } }),
      }),
    ),
    consoleLane(ctx, () =>
      trpc(
        `intents.list?input=${encodeURIComponent(JSON.stringify({ json: { businessId: business.id } }))}`,
        {
          method: 'GET',
        },
      ),
    ),
  ];
  const idRefresh = setInterval(
    () =>
      void merchant
        .idToken()
        .then((t) => (idToken = t))
        .catch(() => undefined),
    20 * 60_000,
  );

  const targets = { fleet, postgres, redis, pgProxy, redisProxy, secret };
  const runs: FaultRun[] = [];
  let calmFrom = 0;
  for (const planned of plan.faults) {
    const wait = planned.atMs - rec.now();
    if (wait > 0) await sleep(wait);
    const startMs = rec.now();
    say(`[${(startMs / 1000).toFixed(1)} s] fault: ${FAULT_LABELS[planned.kind]}`);
    const target = await runFault(planned.kind, targets, planned.outageMs);
    const endMs = rec.now();
    say(
      `[${(endMs / 1000).toFixed(1)} s]   ${target}: over after ${((endMs - startMs) / 1000).toFixed(1)} s`,
    );
    const run: FaultRun = {
      kind: planned.kind,
      label: FAULT_LABELS[planned.kind],
      startMs,
      endMs,
      windowEndMs: 0,
      calmFromMs: calmFrom,
    };
    runs.push(run);
    // The next fault waits for this one's recovery (or its limit): faults never overlap.
    const recovered = await untilRecovered(
      { ...run, windowEndMs: 0 },
      { samples, readiness, now: rec.now },
      { windowMs: RECOVERY_WINDOW_S * 1000, limitMs: (maxRecovery + RECOVERY_WINDOW_S + 5) * 1000 },
    );
    calmFrom = recovered ?? endMs;
  }
  secret = targets.secret;
  const rest = totalMs - rec.now();
  if (rest > 0) await sleep(rest);
  const endMs = rec.now();
  runs.forEach((r, i) => (r.windowEndMs = runs[i + 1]?.startMs ?? endMs));

  say('Stopping the load ...');
  running = false;
  stopStreams.abort();
  clearInterval(idRefresh);
  await Promise.race([Promise.all(lanes), sleep(HANG_MS + 5_000)]);
  clearInterval(poll);
  // Graceful stops flush what each backend still buffers (audit, usage).
  await fleet.stopAll();

  const account = auditAccount(samples, await auditWritten(db, loadStartedAt));
  const checked = await integrity(db, order.id);
  await database.close();
  const figures = runs.map((r) =>
    faultFigures(r, samples, rec.marks, readiness, account, { windowMs: RECOVERY_WINDOW_S * 1000 }),
  );
  const sum = totals(samples, account, figures, rec.bad5xx.length);
  const failures = violations(sum, checked, maxRecovery, figures);

  for (const line of summary(figures, sum, checked, rec.bad5xx)) say(line);
  const resultsFile = flag('--results') ?? join(REPO_ROOT, 'soak/results/latest.json');
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(
    resultsFile,
    `${JSON.stringify({ at: new Date().toISOString(), seconds: totalMs / 1000, outageSeconds: outageMs / 1000, faults: figures, totals: sum, integrity: checked, bad5xx: rec.bad5xx.slice(0, 50), failures: samples.filter((x) => !x.ok).slice(0, 100), violations: failures }, null, 2)}\n`,
  );
  say(`Written: ${resultsFile}`);
  if (failures.length) {
    for (const line of errorLines) say(`  backend error: ${line}`);
    say('SOAK FAILED:');
    for (const f of failures) say(`  - ${f}`);
    return 1;
  }
  say(
    'SOAK PASSED: nothing lost, nothing applied twice, no 5xx, no hang, every recovery within the limit',
  );
  return 0;
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    process.stderr.write(
      `npm run soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    await cleanup();
    process.exit(1);
  });
