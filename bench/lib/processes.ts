// Child processes for the bench: the product backend (apps/backend/src/main.ts,
// as spawnBackend in apps/backend/test/support does it) and the baseline
// servers in bench/servers. Every child is killed when the bench exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../../apps/backend/harness/free-port.ts';
import { sleep } from './stats.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const BENCH_TOKEN_SECRET = 'bench-secret-of-at-least-thirty-two-characters!';

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export interface ServerProcess {
  name: string;
  port: number;
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM, wait (the product flushes and writes its CPU profile on the way out). */
  stop(): Promise<void>;
}

function track(name: string, port: number, child: ChildProcess): ServerProcess {
  let out = '';
  child.stdout?.on('data', (d) => (out = (out + String(d)).slice(-20_000)));
  child.stderr?.on('data', (d) => (out = (out + String(d)).slice(-20_000)));
  children.add(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  void exited.then(() => children.delete(child));
  return {
    name,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntil(
  server: ServerProcess,
  ready: () => Promise<boolean>,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null)
      throw new Error(`${server.name} exited early:\n${server.output()}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) {
      server.child.kill('SIGKILL');
      throw new Error(`${server.name} did not become ready:\n${server.output()}`);
    }
    await sleep(100);
  }
}

/** A baseline server from bench/servers (prints `READY <port>`). */
export async function spawnBaseline(name: string, script: string): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = track(name, port, child);
  await waitUntil(server, async () => server.output().includes(`READY ${port}`));
  return server;
}

export interface ProductOptions {
  name: string;
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  instanceId: string;
  emulatorHost: string;
  /** Another checkout to run the backend from (BENCH_CANDIDATE); default this repository. */
  root?: string;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  execArgv?: string[];
  env?: Record<string, string>;
}

/** The product: apps/backend/src/main.ts with its production defaults, LOG_LEVEL=warn. */
export async function spawnProduct(options: ProductOptions): Promise<ServerProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(options.execArgv ?? []), 'apps/backend/src/main.ts'], {
    cwd: options.root ?? REPO_ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: baseUrl,
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      REDIS_KEY_PREFIX: options.redisKeyPrefix,
      FIREBASE_AUTH_EMULATOR_HOST: options.emulatorHost,
      MCP_TOKEN_SECRET: BENCH_TOKEN_SECRET,
      LOG_LEVEL: 'warn',
      MIGRATE_ON_START: 'false',
      // Throttling on (its cost is measured), with budgets the load never reaches.
      RATE_LIMIT_AUTH_FAILURES: '1000000000',
      RATE_LIMIT_TOKEN: '1000000000',
      RATE_LIMIT_USER: '1000000000',
      RATE_LIMIT_MCP: '1000000000',
      MCP_MAX_SESSIONS_PER_CREDENTIAL: '1000000',
      INSTANCE_ID: options.instanceId,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = track(options.name, port, child);
  await waitUntil(server, async () => (await fetch(`${baseUrl}/healthz`)).ok);
  return server;
}
