// npm test: every test of the repository.
//   1. preflight: PostgreSQL and Redis reachable, Chromium and HAProxy present
//      (installed with apt when running as root), dependencies installed, Prisma client;
//   2. a Firebase Auth Emulator without import/export (or the one already on 9099);
//   3. `turbo run test` (vitest in each workspace), then `playwright test`;
//   4. stop the emulator it started. The output ends with the runners' summaries
//      and one line adding up their JSON reports.
// Plain Node ESM on purpose: it must run before dependencies are installed.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNode24 } from './node-runtime.mjs';

await ensureNode24('npm test');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_EMULATOR_HOST = '127.0.0.1:9099';
const FIREBASE_BIN = resolve(root, 'node_modules/firebase-tools/lib/bin/firebase.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (line = '') => process.stdout.write(`${line}\n`);

let emulator = null;

function die(message) {
  process.stderr.write(`npm test: ${message}\n`);
  stopEmulator().finally(() => process.exit(1));
}

function run(cmd, args, env = process.env) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: 'inherit' });
    child.on('error', () => resolvePromise(127));
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

/** Where each runner writes its JSON report, read for the closing line. */
const VITEST_REPORT = 'test-results/vitest.json'; // relative to each workspace
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
  const e2e = readJson(PLAYWRIGHT_REPORT);
  if (e2e?.stats) {
    passed += (e2e.stats.expected ?? 0) + (e2e.stats.flaky ?? 0);
    failed += e2e.stats.unexpected ?? 0;
  }
  return { passed, failed };
}

function reachable(host, port, timeoutMs = 2000) {
  return new Promise((r) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      r(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function answers(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer().catch(() => undefined);
    return true;
  } catch {
    return false;
  }
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

async function stopEmulator() {
  if (!emulator || emulator.exitCode !== null || emulator.signalCode !== null) return;
  const exited = new Promise((r) => emulator.once('exit', r));
  try {
    process.kill(-emulator.pid, 'SIGINT');
  } catch {
    emulator.kill('SIGINT');
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-emulator.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopEmulator().finally(() => process.exit(130));
  });
}
process.on('exit', () => {
  if (emulator && emulator.exitCode === null && emulator.signalCode === null) {
    try {
      process.kill(-emulator.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

async function main() {
  const env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    TURBO_TELEMETRY_DISABLED: '1',
    NO_UPDATE_NOTIFIER: '1',
  };

  // 1a. Services.
  const dbUrl =
    env.TEST_DATABASE_URL ||
    (env.DATABASE_URL && !env.DATABASE_URL.startsWith('pglite:') ? env.DATABASE_URL : '') ||
    DEFAULT_DATABASE_URL;
  const redisUrl = env.REDIS_URL || DEFAULT_REDIS_URL;
  const pgAddr = hostPort(dbUrl, 5432);
  if (!(await reachable(pgAddr.host, pgAddr.port))) {
    return die(
      `PostgreSQL is not reachable at ${pgAddr.host}:${pgAddr.port}: start it (${postgresStartHint()}) or set TEST_DATABASE_URL`,
    );
  }
  const redisAddr = hostPort(redisUrl, 6379);
  if (!(await reachable(redisAddr.host, redisAddr.port))) {
    return die(
      `Redis is not reachable at ${redisAddr.host}:${redisAddr.port}: start it (redis-server --daemonize yes) or set REDIS_URL`,
    );
  }

  // 1b. Chromium for the browser tests (Debian's; never `playwright install`).
  const hasE2e = existsSync(resolve(root, 'playwright.config.ts'));
  let chromium =
    env.CHROMIUM_PATH ||
    ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p)) ||
    '';
  if (!chromium || !existsSync(chromium)) {
    if (env.CHROMIUM_PATH) return die(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`);
    if (process.getuid?.() === 0) {
      say('Chromium is missing: installing it with apt-get ...');
      const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
      if (
        (await run('apt-get', ['update'], aptEnv)) !== 0 ||
        (await run('apt-get', ['install', '-y', 'chromium'], aptEnv)) !== 0
      ) {
        return die('apt-get install chromium failed');
      }
      chromium =
        ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p)) || '';
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
  const hasHaproxy = () => spawnSync('sh', ['-c', 'command -v haproxy']).status === 0;
  if (!hasHaproxy()) {
    if (process.getuid?.() !== 0)
      return die('HAProxy is missing: install it (sudo apt-get install -y haproxy)');
    say('HAProxy is missing: installing it with apt-get ...');
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    if (
      (await run('apt-get', ['update'], aptEnv)) !== 0 ||
      (await run('apt-get', ['install', '-y', 'haproxy'], aptEnv)) !== 0
    )
      return die('apt-get install haproxy failed');
  }

  // 1c. Dependencies and the Prisma client.
  if (!existsSync(resolve(root, 'node_modules'))) {
    const hasLock = existsSync(resolve(root, 'package-lock.json'));
    say(`node_modules is missing: running npm ${hasLock ? 'ci' : 'install'} ...`);
    if ((await run('npm', [hasLock ? 'ci' : 'install'], env)) !== 0)
      return die('dependency install failed');
  }
  if ((await run(process.execPath, ['scripts/prisma-generate.mjs'], env)) !== 0)
    return die('prisma generate failed');

  // 2. Auth Emulator: reuse one that answers, else a throwaway one (no import/export).
  let emulatorHost = env.FIREBASE_AUTH_EMULATOR_HOST || DEFAULT_EMULATOR_HOST;
  if (await answers(`http://${emulatorHost}/`)) {
    say(`Using the Firebase Auth Emulator already running at ${emulatorHost}`);
  } else {
    if (!existsSync(FIREBASE_BIN))
      return die(`${FIREBASE_BIN} is missing: run npm ci (firebase-tools)`);
    emulatorHost = DEFAULT_EMULATOR_HOST;
    const log = resolve(tmpdir(), `flowpos-auth-emulator-${process.pid}.log`);
    say(`Starting the Firebase Auth Emulator on ${emulatorHost} (log: ${log}) ...`);
    const fd = openSync(log, 'w');
    emulator = spawn(
      process.execPath,
      [
        FIREBASE_BIN,
        'emulators:start',
        '--only',
        'auth',
        '--project',
        'demo-flowpos',
        '--non-interactive',
      ],
      { cwd: root, env: { ...env, CI: '1' }, stdio: ['ignore', fd, fd], detached: true },
    );
    closeSync(fd);
    const deadline = Date.now() + 60_000;
    while (!(await answers(`http://${emulatorHost}/`))) {
      if (emulator.exitCode !== null || Date.now() > deadline) {
        const tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
        process.stderr.write(`${tail}\n`);
        return die(`the Firebase Auth Emulator did not start (see ${log})`);
      }
      await sleep(500);
    }
  }

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
    testEnv,
  );
  let e2e = null;
  if (hasE2e)
    e2e = await run(bin('playwright'), ['test'], {
      ...testEnv,
      PLAYWRIGHT_JSON_OUTPUT_FILE: PLAYWRIGHT_REPORT,
    });

  await stopEmulator();
  const verdict = (code) => (code === 0 ? 'passed' : `FAILED (exit ${code})`);
  say(
    `npm test: unit/integration ${verdict(unit)}${e2e === null ? '; no playwright.config.ts' : `; e2e ${verdict(e2e)}`}`,
  );
  const { passed, failed } = countResults();
  // The plain closing line CI reads: every runner's tests added up.
  // A runner that failed without a count (crash, no tests found) still counts as a failure.
  const runnerFailed = unit !== 0 || (e2e ?? 0) !== 0;
  say(`tests: ${passed} passed, ${failed === 0 && runnerFailed ? 1 : failed} failed`);
  process.exit(unit === 0 && (e2e ?? 0) === 0 ? 0 : 1);
}

main().catch((error) =>
  die(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
