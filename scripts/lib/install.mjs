// What must be on the machine before anything runs: the dependencies, the
// Prisma client, the MCP Apps views, and Debian packages (apt-get when root).
// Plain Node ESM on purpose: it runs before dependencies are installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { root, say } from './basics.mjs';
import { run } from './process-groups.mjs';

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
