// npm start: the whole product on this machine, from a fresh clone.
//   1. npm ci if node_modules is missing, then generate the Prisma client;
//   2. the Firebase Auth Emulator (users kept in .data/firebase), unless one
//      already answers on 127.0.0.1:9099;
//   3. the seed (embedded PGlite in .data/pglite unless DATABASE_URL is set),
//      which also rotates and prints a demo API key;
//   4. the backend (MCP + tRPC, port PORT=4000) and the console (CONSOLE_PORT=3000);
//   5. a summary box; Ctrl-C stops everything.
// Plain Node ESM on purpose: it must run before dependencies are installed.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureNode24 } from './node-runtime.mjs';

await ensureNode24('npm start');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PORT = process.env.PORT || '4000';
const CONSOLE_PORT = process.env.CONSOLE_PORT || '3000';
const DEFAULT_EMULATOR_HOST = '127.0.0.1:9099';
const FIREBASE_BIN = resolve(root, 'node_modules/firebase-tools/lib/bin/firebase.js');
const FIREBASE_DATA = resolve(root, '.data/firebase');
const LOG_DIR = resolve(root, '.data/logs');
const PASSWORD = 'flowpos-demo';
const USERS = [
  ['owner@flowpos.test', 'merchant of Blue Bottle Bar and Corner Bakery'],
  ['merchant@flowpos.test', 'merchant of Night Market Foods'],
  ['dev@flowpos.test', 'tenant developer of Corner Bakery (no intent tools)'],
  ['operator@flowpos.test', 'platform operator (all businesses, live sessions)'],
  ['inactive@flowpos.test', 'inactive membership only (token exchange: 403)'],
];

const baseEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  TURBO_TELEMETRY_DISABLED: '1',
  NO_UPDATE_NOTIFIER: '1',
};

/** @type {{ name: string, child: import('node:child_process').ChildProcess, exited: boolean, critical: boolean }[]} */
const children = [];
let shuttingDown = false;

const say = (line = '') => process.stdout.write(`${line}\n`);
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

function track(name, child, critical = true) {
  const entry = { name, child, exited: false, critical };
  children.push(entry);
  // Every child is detached: its pid is its process group id.
  if (child.pid) guardian.stdin.write(`group ${child.pid}\n`);
  child.on('exit', (code, signal) => {
    entry.exited = true;
    if (!shuttingDown && entry.critical) {
      void fail(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
    }
  });
  return entry;
}

/** Prefixes every line of a child's output so the interleaved logs stay readable. */
function pipePrefixed(stream, prefix, sink, onLine) {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => {
    onLine?.(line);
    sink.write(`${prefix} ${line}\n`);
  });
}

/** Runs a command to completion with inherited output; resolves with its exit code. */
function run(cmd, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: baseEnv,
      stdio: 'inherit',
      detached: true,
      ...options,
    });
    const entry = track(`${cmd} ${args.join(' ')}`, child, false);
    child.on('error', () => resolvePromise(127));
    child.on('exit', (code, signal) => {
      entry.exited = true;
      resolvePromise(code ?? (signal ? 1 : 0));
    });
  });
}

function isAlive(entry) {
  return !entry.exited && entry.child.exitCode === null && entry.child.signalCode === null;
}

function signalGroup(entry, signal) {
  if (!entry.child.pid || !isAlive(entry)) return;
  try {
    process.kill(-entry.child.pid, signal); // the whole process group (npm -> sh -> next ...)
  } catch {
    try {
      entry.child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  const alive = children.filter(isAlive);
  if (alive.length > 0) say(`\nStopping ${alive.map((e) => e.name).join(', ')} ...`);
  // SIGINT first: the backend closes PGlite, the emulator exports its users.
  for (const entry of alive) signalGroup(entry, 'SIGINT');
  const deadline = Date.now() + 10_000;
  while (children.some(isAlive) && Date.now() < deadline) await sleep(100);
  for (const entry of children.filter(isAlive)) {
    process.stderr.write(`npm start: ${entry.name} did not stop within 10 s: killing it\n`);
    signalGroup(entry, 'SIGKILL');
  }
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
      for (const entry of children) signalGroup(entry, 'SIGKILL');
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

// Last resort (a crash in this script): never leave children behind.
process.on('exit', () => {
  for (const entry of children) signalGroup(entry, 'SIGKILL');
});

// ------------------------------------------------------------------ probes

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function answers(url, timeoutMs = 2000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.arrayBuffer().catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}

function portInUse(port, host = '127.0.0.1') {
  return new Promise((r) => {
    const socket = net.connect({ port: Number(port), host });
    const done = (inUse) => {
      socket.destroy();
      r(inUse);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits until `url` answers; fails early when `entry`'s process exits. */
async function waitFor(url, seconds, entry, what) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (entry && !isAlive(entry)) return false;
    if (await answers(url, 5000)) return true;
    await sleep(500);
  }
  process.stderr.write(`npm start: ${what} did not answer ${url} within ${seconds} s\n`);
  return false;
}

function tail(file, lines = 25) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// ------------------------------------------------------------------ steps

async function main() {
  // Refuse early rather than seed a database another instance holds open.
  for (const [port, name, env] of [
    [PORT, 'backend', 'PORT'],
    [CONSOLE_PORT, 'console', 'CONSOLE_PORT'],
  ]) {
    if (await portInUse(port)) {
      return fail(
        `port ${port} (${name}) is already in use (another npm start?): stop it or set ${env}`,
      );
    }
  }

  if (!existsSync(resolve(root, 'node_modules'))) {
    const hasLock = existsSync(resolve(root, 'package-lock.json'));
    say(`node_modules is missing: running npm ${hasLock ? 'ci' : 'install'} ...`);
    if ((await run('npm', [hasLock ? 'ci' : 'install'])) !== 0)
      return fail('dependency install failed');
  }

  // The emulator boots in 8-15 s: start it first, generate the client meanwhile.
  mkdirSync(LOG_DIR, { recursive: true });
  let emulatorHost = process.env.FIREBASE_AUTH_EMULATOR_HOST || DEFAULT_EMULATOR_HOST;
  let emulator = null;
  const emulatorLog = resolve(LOG_DIR, 'auth-emulator.log');
  if (await answers(`http://${emulatorHost}/`)) {
    say(`Firebase Auth Emulator already running at ${emulatorHost}: using it`);
  } else {
    if (!existsSync(FIREBASE_BIN))
      return fail(`${FIREBASE_BIN} is missing: run npm ci (firebase-tools)`);
    emulatorHost = DEFAULT_EMULATOR_HOST; // the port firebase.json gives the emulator
    const args = [
      FIREBASE_BIN,
      'emulators:start',
      '--only',
      'auth',
      '--project',
      'demo-flowpos',
      '--non-interactive',
    ];
    if (existsSync(FIREBASE_DATA)) args.push('--import', FIREBASE_DATA);
    args.push('--export-on-exit', FIREBASE_DATA);
    say(`Starting the Firebase Auth Emulator on ${emulatorHost} (log: ${emulatorLog}) ...`);
    const fd = openSync(emulatorLog, 'w');
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...baseEnv, CI: '1' },
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    emulator = track('auth emulator', child);
  }

  say('Generating the Prisma client ...');
  if ((await run(process.execPath, ['scripts/prisma-generate.mjs'])) !== 0)
    return fail('prisma generate failed');

  if (emulator) {
    if (!(await waitFor(`http://${emulatorHost}/`, 60, emulator, 'the Firebase Auth Emulator'))) {
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
  const seedCode = await new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', '--demo-key'], {
      cwd: root,
      env: runtimeEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const entry = track('seed', child, false);
    pipePrefixed(child.stdout, '[seed]', process.stdout, (line) => {
      const m = /Demo API key \(([^)]*)\): (fp_mcp_[0-9a-f]+)/.exec(line);
      if (m) [, demoKeyLabel, demoKey] = m;
    });
    pipePrefixed(child.stderr, '[seed]', process.stderr);
    child.on('error', () => resolvePromise(127));
    child.on('exit', (code, signal) => {
      entry.exited = true;
      resolvePromise(code ?? (signal ? 1 : 0));
    });
  });
  if (shuttingDown) return;
  if (seedCode !== 0) return fail('the seed failed (see above)');

  const backendMain = resolve(root, 'apps/backend/src/main.ts');
  if (!existsSync(backendMain)) return fail(`${backendMain} is missing`);
  say(
    `Starting the backend on http://127.0.0.1:${PORT} and the console on http://127.0.0.1:${CONSOLE_PORT} ...`,
  );
  const backendChild = spawn(process.execPath, ['--import', 'tsx', 'apps/backend/src/main.ts'], {
    cwd: root,
    // Readable lines, no line per request (LOG_FORMAT=json and LOG_REQUESTS=true override).
    env: {
      ...runtimeEnv,
      LOG_FORMAT: process.env.LOG_FORMAT || 'pretty',
      ...(process.stdout.isTTY && !process.env.NO_COLOR ? { FORCE_COLOR: '1' } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const backend = track('backend', backendChild);
  pipePrefixed(backendChild.stdout, '[backend]', process.stdout);
  pipePrefixed(backendChild.stderr, '[backend]', process.stderr);

  const consoleChild = spawn('npm', ['run', 'dev', '-w', '@flowpos/console'], {
    cwd: root,
    env: {
      ...runtimeEnv,
      PORT: CONSOLE_PORT,
      CONSOLE_PORT,
      BACKEND_URL: `http://127.0.0.1:${PORT}`,
      NEXT_PUBLIC_FIREBASE_AUTH_EMULATOR_HOST: emulatorHost,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const consoleApp = track('console', consoleChild);
  pipePrefixed(consoleChild.stdout, '[console]', process.stdout);
  pipePrefixed(consoleChild.stderr, '[console]', process.stderr, undefined);

  const [backendUp, consoleUp] = await Promise.all([
    waitFor(`http://127.0.0.1:${PORT}/healthz`, 90, backend, 'the backend'),
    waitFor(`http://127.0.0.1:${CONSOLE_PORT}/`, 180, consoleApp, 'the console'),
  ]);
  if (shuttingDown) return;
  if (!backendUp) return fail('the backend did not start (see [backend] lines above)');
  if (!consoleUp) return fail('the console did not start (see [console] lines above)');

  printSummary({ emulatorHost, demoKey, demoKeyLabel });
}

function printSummary({ emulatorHost, demoKey, demoKeyLabel }) {
  const mcp = `http://127.0.0.1:${PORT}/mcp`;
  const db = process.env.DATABASE_URL
    ? redact(process.env.DATABASE_URL)
    : 'embedded PGlite in .data/pglite (delete .data/ to start over)';
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'curl', version: '1.0.0' },
    },
  });
  const lines = [
    'FlowPOS MCP is running',
    '',
    `Console          http://127.0.0.1:${CONSOLE_PORT}`,
    `MCP endpoint     ${mcp}`,
    `tRPC             http://127.0.0.1:${PORT}/trpc`,
    `Auth emulator    ${emulatorHost} (Firebase project demo-flowpos)`,
    `Database         ${db}`,
    '',
    `Sign in to the console with (password ${PASSWORD}):`,
    ...USERS.map(([email, what]) => `  ${email.padEnd(24)}${what}`),
    '',
    demoKey
      ? `Demo API key (${demoKeyLabel}; new on every npm start, the previous one is revoked):`
      : 'Demo API key: not found in the seed output (see [seed] lines above)',
    ...(demoKey ? [`  ${demoKey}`] : []),
    '',
    'Try it:',
    `  curl -i ${mcp} \\`,
    `    -H 'Authorization: Bearer ${demoKey ?? '<key>'}' \\`,
    `    -H 'Content-Type: application/json' \\`,
    `    -H 'Accept: application/json, text/event-stream' \\`,
    `    -d '${body}'`,
    '',
    'Ctrl-C stops everything.',
  ];
  // A left border only: the curl line is wider than most terminals.
  const rule = '═'.repeat(78);
  say('');
  say(`╔${rule}`);
  for (const line of lines) say(`║ ${line}`);
  say(`╚${rule}`);
  say('');
}

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

main().catch((error) =>
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error)),
);
