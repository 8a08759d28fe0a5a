// What `npm start`, `npm test` and `npm run cluster` share before they run
// anything of their own: the dependencies and the Prisma client, system
// packages (apt-get when root), the Firebase Auth Emulator, port checks, and
// child processes that stop as one process group, never left behind.
// Plain Node ESM on purpose: it runs before dependencies are installed.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The emulator's address in firebase.json: where one is started when none answers. */
export const DEFAULT_EMULATOR_HOST = '127.0.0.1:9099';
const FIREBASE_BIN = resolve(root, 'node_modules/firebase-tools/lib/bin/firebase.js');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const say = (line = '') => process.stdout.write(`${line}\n`);

/** The environment of every child: this one, without telemetry or update notices. */
export const quietEnv = (env = process.env) => ({
  ...env,
  NEXT_TELEMETRY_DISABLED: '1',
  TURBO_TELEMETRY_DISABLED: '1',
  NO_UPDATE_NOTIFIER: '1',
});

// ------------------------------------------------------------------ probes

/** Whether `url` answers at all (`okOnly`: with a 2xx status). */
export async function answers(url, { timeoutMs = 2000, okOnly = false } = {}) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.arrayBuffer().catch(() => undefined);
    return okOnly ? res.ok : true;
  } catch {
    return false;
  }
}

/** Whether something accepts TCP connections on host:port. */
export function listening(host, port, timeoutMs = 2000) {
  return new Promise((r) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (open) => {
      socket.destroy();
      r(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The first of `ports` ([port, what, env var]) already taken on 127.0.0.1, as
 * a message saying how to free it; null when all are free.
 */
export async function busyPort(ports) {
  for (const [port, what, envVar] of ports) {
    if (await listening('127.0.0.1', port, 1000))
      return `port ${port} (${what}) is already in use: stop it or set ${envVar}`;
  }
  return null;
}

/** The last `lines` lines of a log file ('' when unreadable). */
export function tail(file, lines = 25) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** A database URL fit to print: its password hidden. */
export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/** Prefixes every line of a child's output so interleaved logs stay readable. */
export function prefixLines(stream, prefix, sink = process.stdout, onLine = undefined) {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => {
    onLine?.(line);
    sink.write(`${prefix} ${line}\n`);
  });
}

// ------------------------------------------------------------------ process groups

export const isRunning = (child) => child.exitCode === null && child.signalCode === null;

/** Signals a detached child's whole group (npm -> sh -> next ...), else the child alone. */
export function signalGroup(child, signal) {
  if (!child?.pid || !isRunning(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Stops `children`: `signal` first (SIGINT: the backend closes PGlite, the
 * emulator exports its users), SIGKILL for those still running after `graceMs`.
 */
export async function stopGroups(children, { signal = 'SIGINT', graceMs = 10_000, onKill } = {}) {
  const running = children.filter((c) => c && isRunning(c));
  for (const child of running) signalGroup(child, signal);
  const deadline = Date.now() + graceMs;
  while (running.some(isRunning) && Date.now() < deadline) await sleep(100);
  for (const child of running.filter(isRunning)) {
    onKill?.(child);
    signalGroup(child, 'SIGKILL');
  }
}

/** Last resort (a crash in the script): its children never outlive it. */
export function killOnExit(children) {
  process.on('exit', () => {
    for (const child of children()) signalGroup(child, 'SIGKILL');
  });
}

/** Runs a command to completion with inherited output; resolves with its exit code. */
export function run(cmd, args, { onSpawn, ...options } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...options });
    onSpawn?.(child);
    child.on('error', () => resolvePromise(127));
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

// ------------------------------------------------------------------ install

/** npm ci (npm install without a lock file) when node_modules is missing; false if it failed. */
export async function ensureDependencies(options = {}) {
  if (existsSync(resolve(root, 'node_modules'))) return true;
  const command = existsSync(resolve(root, 'package-lock.json')) ? 'ci' : 'install';
  say(`node_modules is missing: running npm ${command} ...`);
  return (await run('npm', [command], options)) === 0;
}

/** Generates the Prisma client (`ifStale`: only when older than the schema); false if it failed. */
export async function generatePrismaClient({ ifStale = false, ...options } = {}) {
  if (ifStale && prismaClientIsFresh()) return true;
  return (await run(process.execPath, ['scripts/prisma-generate.mjs'], options)) === 0;
}

function prismaClientIsFresh() {
  try {
    const generated = statSync(resolve(root, 'packages/db/src/generated')).mtimeMs;
    return generated >= statSync(resolve(root, 'prisma/schema.prisma')).mtimeMs;
  } catch {
    return false;
  }
}

/**
 * Builds the MCP Apps views (packages/views/dist/*.html), which the backend
 * reads at start. `ifStale`: only when dist is missing or older than a source.
 */
export async function buildViews({ ifStale = false, ...options } = {}) {
  const args = ['scripts/build-views.mjs', ...(ifStale ? ['--if-stale'] : [])];
  return (await run(process.execPath, args, options)) === 0;
}

export const hasCommand = (name) =>
  spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

/**
 * Installs a Debian package with apt-get when running as root. Returns null
 * when installed, else why not (not root: the sudo command to run).
 */
export async function aptInstall(pkg, env = process.env) {
  if (process.getuid?.() !== 0) return `install it (sudo apt-get install -y ${pkg})`;
  say(`${pkg} is missing: installing it with apt-get ...`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', pkg]]) {
    if ((await run('apt-get', args, { env: aptEnv })) !== 0) return `apt-get install ${pkg} failed`;
  }
  return null;
}

// ------------------------------------------------------------------ auth emulator

/** A port the OS says is free on 127.0.0.1 now. */
export function osFreePort() {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The emulator's own ports for one run: the Auth Emulator's (from `host`),
 * and the hub's and the logging emulator's, which firebase-tools would
 * otherwise take on its own (4400 and 4500, or the next free ones) after our
 * port checks, and so could take the product's. Pinned here to free ports
 * none of `avoid` (the product's); `source` gives candidate free ports.
 */
export async function emulatorPorts(host, avoid, source = osFreePort) {
  const auth = Number(new URL(`http://${host}`).port);
  const taken = new Set([...avoid.map(Number), auth]);
  const pick = async () => {
    for (let tries = 0; tries < 50; tries++) {
      const port = await source();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
    throw new Error('no free port for the Firebase emulator');
  };
  return { auth, hub: await pick(), logging: await pick() };
}

/** firebase.json with the emulators on `ports` (written beside the emulator's log, used with --config). */
export function emulatorConfig(hostname, ports) {
  const base = JSON.parse(readFileSync(resolve(root, 'firebase.json'), 'utf8'));
  const at = (port) => ({ host: hostname, port });
  return {
    ...base,
    emulators: {
      ...base.emulators,
      auth: at(ports.auth),
      hub: at(ports.hub),
      logging: at(ports.logging),
    },
  };
}

/**
 * The Firebase Auth Emulator: the one answering at FIREBASE_AUTH_EMULATOR_HOST
 * (default 127.0.0.1:9099) if any, else one started there as a detached
 * process group writing to `log`, with every port it takes chosen here and
 * checked against `avoid` ([port, what, env var] of the product); with
 * `dataDir`, its users are imported from and exported to that folder.
 * Resolves with { host, child, ports } (child null when reused), or { error }.
 * Call waitForEmulator before use.
 */
export async function startAuthEmulator({ env, log, dataDir, avoid = [] }) {
  const wanted = env.FIREBASE_AUTH_EMULATOR_HOST || DEFAULT_EMULATOR_HOST;
  if (await answers(`http://${wanted}/`)) return { host: wanted, child: null };
  if (!existsSync(FIREBASE_BIN))
    return { error: `${FIREBASE_BIN} is missing: run npm ci (firebase-tools)` };
  const { hostname, port } = new URL(`http://${wanted}`);
  const clash = avoid.find(([p]) => String(p) === port);
  if (clash)
    return {
      error: `port ${port} is the Firebase Auth Emulator's (FIREBASE_AUTH_EMULATOR_HOST): set ${clash[2]} to another port for the ${clash[1]}`,
    };
  if (await listening(hostname, port, 1000))
    return {
      error: `port ${port} (Firebase Auth Emulator) is in use by something else: stop it or set FIREBASE_AUTH_EMULATOR_HOST`,
    };
  const ports = await emulatorPorts(
    wanted,
    avoid.map(([p]) => p),
  );
  const config = `${log.replace(/\.log$/, '')}.firebase.json`;
  writeFileSync(config, `${JSON.stringify(emulatorConfig(hostname, ports), null, 2)}\n`);
  const args = [FIREBASE_BIN, 'emulators:start', '--only', 'auth', '--config', config];
  args.push('--project', 'demo-flowpos', '--non-interactive');
  if (dataDir && existsSync(dataDir)) args.push('--import', dataDir);
  if (dataDir) args.push('--export-on-exit', dataDir);
  const fd = openSync(log, 'w');
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...env, CI: '1' },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  return { host: wanted, child, ports };
}

/** Waits until `url` answers; false when `child` exits first or after `seconds`. */
export async function waitUntilAnswers(
  url,
  { seconds, child, timeoutMs = 2000, okOnly = false, intervalMs = 500 },
) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child && !isRunning(child)) return false;
    if (await answers(url, { timeoutMs, okOnly })) return true;
    await sleep(intervalMs);
  }
  return false;
}
