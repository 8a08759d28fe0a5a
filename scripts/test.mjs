// npm test: every test of the repository.
//   1. preflight: PostgreSQL and Redis reachable, Chromium and HAProxy present
//      (installed with apt when running as root), dependencies installed, Prisma client;
//   2. a Firebase Auth Emulator without import/export (or the one already on 9099);
//   3. `turbo run test` (vitest in each workspace), then `playwright test`;
//   4. stop the emulator it started. The output ends with the runners' summaries
//      and one line adding up their JSON reports.
// Plain Node ESM on purpose: it must run before dependencies are installed.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { ensureNode24 } from './node-runtime.mjs';
import {
  aptInstall,
  ensureDependencies,
  buildViews,
  generatePrismaClient,
  hasCommand,
  killOnExit,
  listening,
  quietEnv,
  readyAuthEmulator,
  root,
  run,
  say,
  stopGroups,
} from './bootstrap.mjs';

await ensureNode24('npm test');

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The emulator this run started (none when one was already running). */
let emulator = null;
const stopEmulator = () => stopGroups([emulator]);

function die(message) {
  process.stderr.write(`npm test: ${message}\n`);
  stopEmulator().finally(() => process.exit(1));
}

/** Where each runner writes its JSON report, read for the closing line. */
const VITEST_REPORT = 'test-results/vitest.json'; // relative to each workspace
const BENCH_REPORT = resolve(root, 'test-results-bench.tap');
const PLAYWRIGHT_REPORT = resolve(root, 'test-results-e2e.json');
const workspaceDirs = () =>
  ['apps', 'packages'].flatMap((top) =>
    existsSync(resolve(root, top))
      ? readdirSync(resolve(root, top)).map((name) => resolve(root, top, name))
      : [],
  );

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** Adds up the runners' own JSON reports: vitest's per workspace, then Playwright's. */
function countResults() {
  let passed = 0;
  let failed = 0;
  for (const dir of workspaceDirs()) {
    const report = readJson(resolve(dir, VITEST_REPORT));
    if (!report) continue;
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
  }
  try {
    const tap = readFileSync(BENCH_REPORT, 'utf8');
    passed += Number(/^# pass (\d+)$/m.exec(tap)?.[1] ?? 0);
    failed += Number(/^# fail (\d+)$/m.exec(tap)?.[1] ?? 0);
  } catch {
    /* no bench tests ran */
  }
  const e2e = readJson(PLAYWRIGHT_REPORT);
  if (e2e?.stats) {
    passed += (e2e.stats.expected ?? 0) + (e2e.stats.flaky ?? 0);
    failed += e2e.stats.unexpected ?? 0;
  }
  return { passed, failed };
}

function hostPort(url, defaultPort) {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: Number(u.port || defaultPort),
  };
}

function postgresStartHint() {
  try {
    const versions = readdirSync('/etc/postgresql').filter((v) => /^\d+$/.test(v));
    if (versions.length) return `pg_ctlcluster ${versions.sort().at(-1)} main start`;
  } catch {
    /* not Debian's layout */
  }
  return 'pg_ctlcluster 15 main start';
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopEmulator().finally(() => process.exit(130));
  });
}
killOnExit(() => [emulator]);

async function main() {
  const env = quietEnv();

  // 1a. Services.
  const dbUrl =
    env.TEST_DATABASE_URL ||
    (env.DATABASE_URL && !env.DATABASE_URL.startsWith('pglite:') ? env.DATABASE_URL : '') ||
    DEFAULT_DATABASE_URL;
  const redisUrl = env.REDIS_URL || DEFAULT_REDIS_URL;
  const pgAddr = hostPort(dbUrl, 5432);
  if (!(await listening(pgAddr.host, pgAddr.port))) {
    return die(
      `PostgreSQL is not reachable at ${pgAddr.host}:${pgAddr.port}: start it (${postgresStartHint()}) or set TEST_DATABASE_URL`,
    );
  }
  const redisAddr = hostPort(redisUrl, 6379);
  if (!(await listening(redisAddr.host, redisAddr.port))) {
    return die(
      `Redis is not reachable at ${redisAddr.host}:${redisAddr.port}: start it (redis-server --daemonize yes) or set REDIS_URL`,
    );
  }

  // 1b. Chromium for the browser tests (Debian's; never `playwright install`).
  const hasE2e = existsSync(resolve(root, 'playwright.config.ts'));
  const debianChromium = () =>
    ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p)) || '';
  let chromium = env.CHROMIUM_PATH || debianChromium();
  if (!chromium || !existsSync(chromium)) {
    if (env.CHROMIUM_PATH) return die(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`);
    if (process.getuid?.() === 0) {
      const failed = await aptInstall('chromium', env);
      if (failed) return die(failed);
      chromium = debianChromium();
      if (!chromium)
        return die(
          'chromium was installed but neither /usr/lib/chromium/chromium nor /usr/bin/chromium exists',
        );
    } else if (hasE2e) {
      return die(
        'Chromium is missing: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH',
      );
    }
  }

  // 1b'. HAProxy for the cluster test (Debian's), installed like Chromium.
  if (!hasCommand('haproxy')) {
    const failed = await aptInstall('haproxy', env);
    if (failed) return die(`HAProxy is missing: ${failed}`);
  }

  // 1c. Dependencies and the Prisma client.
  if (!(await ensureDependencies({ env }))) return die('dependency install failed');
  if (!(await generatePrismaClient({ env }))) return die('prisma generate failed');
  if (!(await buildViews({ env }))) return die('the views build failed');

  // 2. Auth Emulator: reuse one that answers, else a throwaway one (no import/export).
  const log = resolve(tmpdir(), `flowpos-auth-emulator-${process.pid}.log`);
  const started = await readyAuthEmulator({ env, log });
  emulator = started.child;
  if (started.error) return die(started.error);
  const emulatorHost = started.host;
  if (!emulator) say(`Using the Firebase Auth Emulator already running at ${emulatorHost}`);

  // 3. The runners.
  const testEnv = {
    ...env,
    TEST_RUN_ID:
      env.TEST_RUN_ID || `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    FIREBASE_AUTH_EMULATOR_HOST: emulatorHost,
    TEST_DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl,
    ...(chromium ? { CHROMIUM_PATH: chromium } : {}),
  };
  say(
    `Test run ${testEnv.TEST_RUN_ID}: PostgreSQL ${pgAddr.host}:${pgAddr.port}, Redis ${redisAddr.host}:${redisAddr.port}, emulator ${emulatorHost}`,
  );

  const bin = (name) => resolve(root, 'node_modules/.bin', name);
  // --continue: every workspace runs even when one fails; --env-mode=loose: turbo's
  // strict mode would drop TEST_DATABASE_URL, CHROMIUM_PATH... Each runner also
  // writes a JSON report (last run's removed first), the source of the closing line.
  for (const dir of workspaceDirs()) rmSync(resolve(dir, VITEST_REPORT), { force: true });
  rmSync(PLAYWRIGHT_REPORT, { force: true });
  const unit = await run(
    bin('turbo'),
    [
      'run',
      'test',
      '--concurrency=1',
      '--continue',
      '--env-mode=loose',
      '--',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${VITEST_REPORT}`,
    ],
    { env: testEnv },
  );
  // The bench's and the soak's own pure logic (CPU accounting, profile
  // categories; fault schedule, figures, the TCP proxy), on node:test.
  const benchTests = ['bench/lib', 'soak/lib'].flatMap((dir) =>
    existsSync(resolve(root, dir))
      ? readdirSync(resolve(root, dir))
          .filter((f) => f.endsWith('.test.ts'))
          .map((f) => `${dir}/${f}`)
      : [],
  );
  rmSync(BENCH_REPORT, { force: true });
  const bench = benchTests.length
    ? await run(
        process.execPath,
        [
          '--import',
          'tsx',
          '--test',
          '--test-reporter=spec',
          '--test-reporter-destination=stdout',
          '--test-reporter=tap',
          `--test-reporter-destination=${BENCH_REPORT}`,
          ...benchTests,
        ],
        { env: testEnv },
      )
    : 0;
  let e2e = null;
  if (hasE2e)
    e2e = await run(bin('playwright'), ['test'], {
      env: {
        ...testEnv,
        PLAYWRIGHT_JSON_OUTPUT_FILE: PLAYWRIGHT_REPORT,
        // The console as deployed (next build, then its standalone server): one
        // build instead of a dev server compiling pages on 2 cores (4.9 vs 8.3 min).
        E2E_CONSOLE_MODE: testEnv.E2E_CONSOLE_MODE ?? 'start',
      },
    });

  await stopEmulator();
  const verdict = (code) => (code === 0 ? 'passed' : `FAILED (exit ${code})`);
  say(
    `npm test: unit/integration ${verdict(unit)}; bench and soak logic ${verdict(bench)}${e2e === null ? '; no playwright.config.ts' : `; e2e ${verdict(e2e)}`}`,
  );
  const { passed, failed } = countResults();
  // The plain closing line CI reads: every runner's tests added up.
  // A runner that failed without a count (crash, no tests found) still counts as a failure.
  const runnerFailed = unit !== 0 || bench !== 0 || (e2e ?? 0) !== 0;
  say(`tests: ${passed} passed, ${failed === 0 && runnerFailed ? 1 : failed} failed`);
  process.exit(runnerFailed ? 1 : 0);
}

main().catch((error) =>
  die(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
