// npm run cluster: the production topology on this machine. N backends
// (default 3) on PostgreSQL + Redis behind HAProxy (round robin, no session
// affinity, /readyz health checks), like N containers behind a load balancer.
//   npm run cluster                  3 backends, load balancer on 127.0.0.1:4080
//   npm run cluster -- --instances 5
// Environment: CLUSTER_PORT (load balancer, default 4080; backends take the
// next N ports, or CLUSTER_BACKEND_PORTS=p1,p2,...), CLUSTER_INSTANCES, DATABASE_URL (PostgreSQL, default
// postgresql://postgres@127.0.0.1:5432/flowpos_cluster, created if missing),
// REDIS_URL (default redis://127.0.0.1:6379), REDIS_KEY_PREFIX (default
// flowpos:cluster:), MCP_TOKEN_SECRET (default: a random one per run),
// FIREBASE_AUTH_EMULATOR_HOST (default 127.0.0.1:9099 outside production).
// A backend that dies is started again, as an orchestrator would. HAProxy
// comes from Debian (apt-get install -y haproxy, done here when root).
// Ctrl-C stops everything. Plain Node ESM, like the other entry scripts.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNode24 } from './node-runtime.mjs';
import {
  aptInstall,
  busyPort,
  buildViews,
  generatePrismaClient,
  hasCommand,
  killOnExit,
  prefixLines,
  redact,
  root,
  run,
  say,
  stopGroups,
  waitUntilAnswers,
} from './bootstrap.mjs';

await ensureNode24('npm run cluster');
// TypeScript shared with the soak: Node 24 strips its types (imported once on it).
const { haproxyConfig } = await import('./lib/haproxy-config.ts');

const argIndex = process.argv.indexOf('--instances');
const INSTANCES = Number(
  (argIndex > 0 ? process.argv[argIndex + 1] : undefined) ?? process.env.CLUSTER_INSTANCES ?? 3,
);
const LB_PORT = Number(process.env.CLUSTER_PORT ?? 4080);
const BACKEND_PORTS = process.env.CLUSTER_BACKEND_PORTS
  ? process.env.CLUSTER_BACKEND_PORTS.split(',').map(Number)
  : Array.from({ length: INSTANCES }, (_, i) => LB_PORT + 1 + i);
const DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/flowpos_cluster';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REDIS_KEY_PREFIX = process.env.REDIS_KEY_PREFIX ?? 'flowpos:cluster:';
const PUBLIC_BASE_URL = `http://127.0.0.1:${LB_PORT}`;

if (!Number.isInteger(INSTANCES) || INSTANCES < 1 || INSTANCES > 32) {
  process.stderr.write('npm run cluster: --instances must be between 1 and 32\n');
  process.exit(2);
}
if (BACKEND_PORTS.length < INSTANCES || BACKEND_PORTS.some((p) => !Number.isInteger(p))) {
  process.stderr.write('npm run cluster: CLUSTER_BACKEND_PORTS needs one port per instance\n');
  process.exit(2);
}
if (!/^postgres(ql)?:\/\//.test(DATABASE_URL)) {
  process.stderr.write('npm run cluster: DATABASE_URL must be a PostgreSQL URL\n');
  process.exit(2);
}

/** @type {Map<string, {port: number, child: import('node:child_process').ChildProcess | null}>} */
const backends = new Map();
let haproxy = null;
let stopping = false;
const workDir = mkdtempSync(join(tmpdir(), 'flowpos-cluster-'));

// ------------------------------------------------------------------ HAProxy

/** Fails the run when HAProxy is missing and cannot be installed. */
async function ensureHaproxy() {
  if (hasCommand('haproxy')) return true;
  const failed = await aptInstall('haproxy');
  if (failed) process.stderr.write(`npm run cluster: HAProxy is missing: ${failed}\n`);
  return !failed;
}

/** The load balancer's config: the shared one, with a request id on every request. */
function clusterHaproxyConfig() {
  return haproxyConfig({
    lbPort: LB_PORT,
    servers: [...backends.entries()].map(([name, b]) => ({ name, port: b.port })),
    serverTimeout: '60s',
    retryOn: 'conn-failure',
    fall: 1,
    frontend: [
      '# The request id every backend log line carries, unless the client sent one.',
      'unique-id-format %{+X}o%ci%cp%fi%fp%Ts%rt%pid',
      'http-request set-header x-request-id %[unique-id] unless { req.hdr(x-request-id) -m found }',
    ],
  });
}

// ------------------------------------------------------------------ processes

const backendEnv = (name, port, secret) => ({
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? 'development',
  HOST: '127.0.0.1',
  PORT: String(port),
  PUBLIC_BASE_URL,
  DATABASE_URL,
  REDIS_URL,
  REDIS_KEY_PREFIX,
  MCP_TOKEN_SECRET: secret,
  MIGRATE_ON_START: 'false',
  INSTANCE_ID: name,
  TRUST_PROXY: process.env.TRUST_PROXY ?? '127.0.0.1',
  LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
  ...(process.env.NODE_ENV === 'production'
    ? {}
    : { FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST ?? '127.0.0.1:9099' }),
});

function startBackend(name, secret) {
  const backend = backends.get(name);
  const child = spawn(process.execPath, ['apps/backend/src/main.ts'], {
    cwd: root,
    env: backendEnv(name, backend.port, secret),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  backend.child = child;
  say(`[cluster] ${name} pid=${child.pid} port=${backend.port}`);
  prefixLines(child.stdout, `[${name}]`);
  prefixLines(child.stderr, `[${name}]`);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    say(`[cluster] ${name} exited (${signal ?? `code ${code}`}): starting it again`);
    setTimeout(() => {
      if (stopping) return;
      startBackend(name, secret);
      void waitReady(name).then((ok) => ok && say(`[cluster] ${name} ready again`));
    }, 500);
  });
  return child;
}

function waitReady(name, seconds = 90) {
  const { port, child } = backends.get(name);
  const url = `http://127.0.0.1:${port}/readyz`;
  return waitUntilAnswers(url, { seconds, child, okOnly: true, intervalMs: 200 });
}

const children = () => [...[...backends.values()].map((b) => b.child), haproxy];

async function stop(code) {
  if (stopping) return;
  stopping = true;
  await stopGroups(children(), { signal: 'SIGTERM' });
  rmSync(workDir, { recursive: true, force: true });
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => void stop(0));
killOnExit(children);

// ------------------------------------------------------------------ steps

async function ensureDatabase() {
  const { default: pg } = await import('pg');
  const url = new URL(DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      say(`Creating database ${name} ...`);
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    }
  } finally {
    await client.end();
  }
}

async function main() {
  const busy = await busyPort(
    [LB_PORT, ...BACKEND_PORTS.slice(0, INSTANCES)].map((port, i) => [
      port,
      i === 0 ? 'load balancer' : `backend b${i}`,
      i === 0 ? 'CLUSTER_PORT' : 'CLUSTER_BACKEND_PORTS',
    ]),
  );
  if (busy) {
    process.stderr.write(`npm run cluster: ${busy}\n`);
    return stop(1);
  }
  if (!(await ensureHaproxy())) return stop(1);
  const secret = process.env.MCP_TOKEN_SECRET ?? randomBytes(32).toString('hex');
  await ensureDatabase();
  if (!(await generatePrismaClient({ ifStale: true }))) return stop(1);
  if (!(await buildViews({ ifStale: true }))) return stop(1);
  say('Applying migrations (once, before the backends: a release step) ...');
  const migrate = ['--import', 'tsx', 'scripts/migrate.ts'];
  if ((await run(process.execPath, migrate, { env: { ...process.env, DATABASE_URL } })) !== 0)
    return stop(1);

  for (let i = 1; i <= INSTANCES; i++)
    backends.set(`b${i}`, { port: BACKEND_PORTS[i - 1], child: null });
  for (const name of backends.keys()) startBackend(name, secret);
  const ready = await Promise.all([...backends.keys()].map((name) => waitReady(name)));
  if (ready.some((ok) => !ok)) {
    process.stderr.write('npm run cluster: a backend did not become ready (see above)\n');
    return stop(1);
  }

  const cfg = join(workDir, 'haproxy.cfg');
  writeFileSync(cfg, clusterHaproxyConfig());
  haproxy = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  prefixLines(haproxy.stdout, '[haproxy]');
  prefixLines(haproxy.stderr, '[haproxy]');
  haproxy.on('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`npm run cluster: HAProxy exited (${signal ?? `code ${code}`})\n`);
    void stop(1);
  });
  const lbReady = { seconds: 15, child: haproxy, okOnly: true, intervalMs: 200 };
  if (!(await waitUntilAnswers(`${PUBLIC_BASE_URL}/readyz`, lbReady))) {
    process.stderr.write('npm run cluster: HAProxy did not answer\n');
    return stop(1);
  }
  say('');
  say(`FlowPOS cluster ready: ${PUBLIC_BASE_URL}/mcp`);
  say(
    `  ${INSTANCES} backends (${[...backends.values()].map((b) => b.port).join(', ')}) behind HAProxy, round robin, no affinity`,
  );
  say(`  PostgreSQL ${redact(DATABASE_URL)}, Redis ${REDIS_URL} (prefix ${REDIS_KEY_PREFIX})`);
  say('  Ctrl-C stops everything.');
  say('');
}

main().catch((error) => {
  process.stderr.write(`npm run cluster: ${error instanceof Error ? error.message : error}\n`);
  void stop(1);
});
