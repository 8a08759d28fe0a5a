// The Firebase Auth Emulator: reuse the one answering, else start one on
// ports chosen away from the product's, and wait until it answers.
// Plain Node ESM on purpose: it runs before dependencies are installed.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { resolve } from 'node:path';
import { root, say, sleep } from './basics.mjs';
import { answers, listening, tail } from './probes.mjs';
import { isRunning } from './process-groups.mjs';

/** The emulator's address in firebase.json: where one is started when none answers. */
export const DEFAULT_EMULATOR_HOST = '127.0.0.1:9099';
const FIREBASE_BIN = resolve(root, 'node_modules/firebase-tools/lib/bin/firebase.js');

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
 * Wait for it with waitUntilAnswers, or start it with readyAuthEmulator.
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

/**
 * startAuthEmulator, then, when it started one, a wait of up to a minute until
 * it answers (its log's tail on stderr if it does not). Resolves with
 * { host, child } or with an `error`; `child`, when set, is the caller's to
 * stop even on error.
 */
export async function readyAuthEmulator({ env, log, ...options }) {
  const started = await startAuthEmulator({ env, log, ...options });
  if (started.error || !started.child) return started;
  say(`Starting the Firebase Auth Emulator on ${started.host} (log: ${log}) ...`);
  if (await waitUntilAnswers(`http://${started.host}/`, { seconds: 60, child: started.child }))
    return started;
  process.stderr.write(`${tail(log, 20)}\n`);
  return { ...started, error: `the Firebase Auth Emulator did not start (see ${log})` };
}
