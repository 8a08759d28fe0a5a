// npm start: the whole product on this machine, from a fresh clone.
//   1. npm ci if node_modules is missing, then generate the Prisma client;
//   2. the Firebase Auth Emulator (users kept in .data/firebase), unless one
//      already answers on FIREBASE_AUTH_EMULATOR_HOST (127.0.0.1:9099); every
//      port it takes is chosen away from PORT and CONSOLE_PORT;
//   3. the seed (embedded PGlite in .data/pglite unless DATABASE_URL is set),
//      which also rotates and prints a demo API key;
//   4. the backend (MCP + tRPC, port PORT=4000) and the console (CONSOLE_PORT=3000);
//   5. a summary box; Ctrl-C stops everything.
// Plain Node ESM on purpose: it must run before dependencies are installed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureNode24 } from './node-runtime.mjs';
import { printSummary } from './lib/start-summary.mjs';
import {
  busyPort,
  ensureDependencies,
  buildViews,
  generatePrismaClient,
  isRunning,
  killOnExit,
  prefixLines,
  quietEnv,
  root,
  run,
  say,
  signalGroup,
  startAuthEmulator,
  stopGroups,
  tail,
  waitUntilAnswers,
} from './bootstrap.mjs';

await ensureNode24('npm start');

const PORT = process.env.PORT || '4000';
const CONSOLE_PORT = process.env.CONSOLE_PORT || '3000';
const FIREBASE_DATA = resolve(root, process.env.AUTH_EMULATOR_DATA || '.data/firebase');
const LOG_DIR = resolve(root, '.data/logs');

const baseEnv = quietEnv();

/** Every process started, by the name its failure is reported under. */
const children = new Map();
let shuttingDown = false;

const fail = (message) => {
  process.stderr.write(`npm start: ${message}\n`);
  return shutdown(1);
};

// ------------------------------------------------------------------ processes

// The guardian stops every child group if this process dies without stopping
// them (kill -9, a closed terminal): it watches the pipe it reads from.
const guardian = spawn(process.execPath, [resolve(root, 'scripts/start-guardian.mjs')], {
  cwd: root,
  stdio: ['pipe', 'ignore', 'ignore'],
  detached: true,
});
guardian.unref();
guardian.stdin.unref?.();
guardian.stdin.on('error', () => undefined);

/** Every child is detached (its pid is its process group id) and known to the guardian. */
function track(name, child, critical = true) {
  children.set(child, name);
  if (child.pid) guardian.stdin.write(`group ${child.pid}\n`);
  child.on('exit', (code, signal) => {
    if (!shuttingDown && critical) {
      void fail(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
    }
  });
  return child;
}

/** Starts a detached, tracked child whose exit stops everything. */
const launch = (name, cmd, args, options) =>
  track(name, spawn(cmd, args, { cwd: root, detached: true, ...options }));

/** Options for a step run to completion as a tracked process group (its exit stops nothing). */
const stepOptions = (name) => ({
  env: baseEnv,
  detached: true,
  onSpawn: (child) => track(name, child, false),
});

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  const alive = [...children.keys()].filter(isRunning);
  if (alive.length > 0) say(`\nStopping ${alive.map((c) => children.get(c)).join(', ')} ...`);
  await stopGroups(alive, {
    onKill: (child) =>
      process.stderr.write(
        `npm start: ${children.get(child)} did not stop within 10 s: killing it\n`,
      ),
  });
  guardian.stdin.end('done\n');
  process.exit(code);
}

// Ctrl-C reaches both npm and this script, and npm forwards it again: a second
// signal only forces the kill when it comes well after the first.
let firstSignalAt = 0;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (firstSignalAt && Date.now() - firstSignalAt > 1500) {
      process.stderr.write('npm start: killing everything now\n');
      for (const child of children.keys()) signalGroup(child, 'SIGKILL');
      process.exit(130);
    }
    if (firstSignalAt) return;
    firstSignalAt = Date.now();
    void shutdown(0);
  });
}
// Run on Node 24 by a wrapper (scripts/node-runtime.mjs) on an older Node: when
// the wrapper dies, the IPC channel to it closes, and everything stops.
if (process.connected) process.on('disconnect', () => void shutdown(1));
killOnExit(() => children.keys());

/** Waits until `url` answers; fails early when `child` exits. */
async function waitFor(url, seconds, child, what) {
  if (await waitUntilAnswers(url, { seconds, child, timeoutMs: 5000 })) return true;
  if (isRunning(child))
    process.stderr.write(`npm start: ${what} did not answer ${url} within ${seconds} s\n`);
  return false;
}

// ------------------------------------------------------------------ steps

async function main() {
  // Refuse early rather than seed a database another instance holds open.
  const productPorts = [
    [PORT, 'backend', 'PORT'],
    [CONSOLE_PORT, 'console', 'CONSOLE_PORT'],
  ];
  const busy = await busyPort(productPorts);
  if (busy) return fail(busy.replace('in use:', 'in use (another npm start?):'));

  if (!(await ensureDependencies(stepOptions('npm install'))))
    return fail('dependency install failed');

  // The emulator boots in 8-15 s: start it first, generate the client meanwhile.
  mkdirSync(LOG_DIR, { recursive: true });
  const emulatorLog = resolve(LOG_DIR, 'auth-emulator.log');
  // Every port the emulator takes is chosen away from the product's ports.
  const emulator = await startAuthEmulator({
    env: baseEnv,
    log: emulatorLog,
    dataDir: FIREBASE_DATA,
    avoid: productPorts,
  });
  if (emulator.error) return fail(emulator.error);
  const emulatorHost = emulator.host;
  if (emulator.child) {
    track('auth emulator', emulator.child);
    say(`Starting the Firebase Auth Emulator on ${emulatorHost} (log: ${emulatorLog}) ...`);
  } else say(`Firebase Auth Emulator already running at ${emulatorHost}: using it`);

  say('Generating the Prisma client ...');
  if (!(await generatePrismaClient(stepOptions('prisma generate'))))
    return fail('prisma generate failed');
  say('Building the MCP Apps views ...');
  if (!(await buildViews({ ifStale: true, ...stepOptions('views build') })))
    return fail('the views build failed');

  if (emulator.child) {
    if (
      !(await waitFor(`http://${emulatorHost}/`, 60, emulator.child, 'the Firebase Auth Emulator'))
    ) {
      process.stderr.write(`${tail(emulatorLog)}\n`);
      return fail(`the Firebase Auth Emulator did not start (see ${emulatorLog})`);
    }
    say('Firebase Auth Emulator ready.');
  }

  // The seed must finish before the backend opens the same PGlite folder.
  const runtimeEnv = {
    ...baseEnv,
    FIREBASE_AUTH_EMULATOR_HOST: emulatorHost,
    PORT,
    // OAuth sign-in and consent send the browser to this console.
    CONSOLE_URL: process.env.CONSOLE_URL || `http://127.0.0.1:${CONSOLE_PORT}`,
  };
  say('Seeding demo data ...');
  let demoKey = null;
  let demoKeyLabel = '';
  const seedCode = await run(
    process.execPath,
    ['--import', 'tsx', 'scripts/seed.ts', '--demo-key'],
    {
      ...stepOptions('seed'),
      env: runtimeEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      onSpawn: (child) => {
        track('seed', child, false);
        prefixLines(child.stdout, '[seed]', process.stdout, (line) => {
          const m = /Demo API key \(([^)]*)\): (fp_mcp_[0-9a-f]+)/.exec(line);
          if (m) [, demoKeyLabel, demoKey] = m;
        });
        prefixLines(child.stderr, '[seed]', process.stderr);
      },
    },
  );
  if (shuttingDown) return;
  if (seedCode !== 0) return fail('the seed failed (see above)');

  const backendMain = resolve(root, 'apps/backend/src/main.ts');
  if (!existsSync(backendMain)) return fail(`${backendMain} is missing`);
  say(
    `Starting the backend on http://127.0.0.1:${PORT} and the console on http://127.0.0.1:${CONSOLE_PORT} ...`,
  );
  const backend = launch('backend', process.execPath, ['apps/backend/src/main.ts'], {
    // Readable lines, no line per request (LOG_FORMAT=json and LOG_REQUESTS=true override).
    env: {
      ...runtimeEnv,
      LOG_FORMAT: process.env.LOG_FORMAT || 'pretty',
      ...(process.stdout.isTTY && !process.env.NO_COLOR ? { FORCE_COLOR: '1' } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(backend.stdout, '[backend]', process.stdout);
  prefixLines(backend.stderr, '[backend]', process.stderr);

  const consoleApp = launch('console', 'npm', ['run', 'dev', '-w', '@flowpos/console'], {
    env: {
      ...runtimeEnv,
      PORT: CONSOLE_PORT,
      CONSOLE_PORT,
      BACKEND_URL: `http://127.0.0.1:${PORT}`,
      NEXT_PUBLIC_FIREBASE_AUTH_EMULATOR_HOST: emulatorHost,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prefixLines(consoleApp.stdout, '[console]', process.stdout);
  prefixLines(consoleApp.stderr, '[console]', process.stderr);

  const [backendUp, consoleUp] = await Promise.all([
    waitFor(`http://127.0.0.1:${PORT}/healthz`, 90, backend, 'the backend'),
    waitFor(`http://127.0.0.1:${CONSOLE_PORT}/`, 180, consoleApp, 'the console'),
  ]);
  if (shuttingDown) return;
  if (!backendUp) return fail('the backend did not start (see [backend] lines above)');
  if (!consoleUp) return fail('the console did not start (see [console] lines above)');

  await printSummary({
    port: PORT,
    consolePort: CONSOLE_PORT,
    emulatorHost,
    demoKey,
    demoKeyLabel,
  });
}

main().catch((error) =>
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
