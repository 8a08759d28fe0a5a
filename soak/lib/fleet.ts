// The soak's backends and their load balancer: N `apps/backend/src/main.ts`
// processes behind HAProxy, configured as `npm run cluster` does (round
// robin, no affinity, /readyz checks every second) plus what the soak
// decided for faults: a request whose backend died before answering is sent
// to another one, and when no backend is ready HAProxy itself answers 503
// with Retry-After and a JSON-RPC error body (never its HTML page).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { haproxyConfig } from '../../scripts/lib/haproxy-config.ts';
import { accepts, sleep } from './services.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** What HAProxy and the backends tell a client to wait before retrying, in seconds. */
export const RETRY_AFTER_SECONDS = 1;

export interface Backend {
  name: string;
  port: number;
  child: ChildProcess | null;
  env: Record<string, string>;
}

/** An HTTP response file for HAProxy's `errorfile`: the status, Retry-After, a JSON-RPC error. */
export function lbErrorResponse(status: 502 | 503 | 504): string {
  const reason = { 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' }[status];
  const body = JSON.stringify({
    jsonrpc: '2.0',
    error: {
      code: -32000,
      message: `Service unavailable: no backend is ready; retry after ${RETRY_AFTER_SECONDS} s`,
    },
    id: null,
  });
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/json',
    `Retry-After: ${RETRY_AFTER_SECONDS}`,
    'Cache-Control: no-store',
    'Connection: close',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** The shared load balancer config, with the soak's fault handling on top. */
export function soakHaproxyConfig(
  lbPort: number,
  backends: readonly Backend[],
  errorDir: string,
): string {
  return haproxyConfig({
    lbPort,
    servers: backends,
    serverTimeout: '30s',
    // A backend killed mid-request closes without an answer: the request goes to another one.
    // Proposals carry idempotency keys, so a resent one never creates a second intent.
    retryOn: 'conn-failure empty-response',
    // A check slow to answer on a busy machine is not a dead backend: 2 s to answer, 2 misses to fall.
    fall: 2,
    backend: ['timeout check 2s'],
    defaults: ([502, 503, 504] as const).map(
      (status) => `errorfile ${status} ${join(errorDir, `${status}.http`)}`,
    ),
  });
}

export interface Fleet {
  backends: Backend[];
  lbUrl: string;
  start(name: string, extraEnv?: Record<string, string>): ChildProcess;
  /** kill -9, and a new process at once (as an orchestrator would); resolves when it is ready. */
  killAndReplace(name: string): Promise<void>;
  /** SIGTERM (graceful), then a new process with `env` on top; resolves when it is ready. */
  restartWith(name: string, env: Record<string, string>): Promise<void>;
  ready(name: string): Promise<boolean>;
  waitReady(name: string, ms?: number): Promise<void>;
  stopAll(): Promise<void>;
}

export async function readyz(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, {
      signal: AbortSignal.timeout(3_000),
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

export async function startFleet(options: {
  dir: string;
  lbPort: number;
  ports: number[];
  env: Record<string, string>;
  log: (line: string) => void;
}): Promise<Fleet> {
  const lbUrl = `http://127.0.0.1:${options.lbPort}`;
  const backends: Backend[] = options.ports.map((port, i) => ({
    name: `b${i + 1}`,
    port,
    child: null,
    env: {},
  }));
  let haproxy: ChildProcess | null = null;
  const find = (name: string) => {
    const b = backends.find((x) => x.name === name);
    if (!b) throw new Error(`no backend ${name}`);
    return b;
  };
  const start = (name: string, extraEnv: Record<string, string> = {}) => {
    const b = find(name);
    b.env = { ...b.env, ...extraEnv };
    const child = spawn(process.execPath, ['apps/backend/src/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...options.env,
        HOST: '127.0.0.1',
        PORT: String(b.port),
        PUBLIC_BASE_URL: lbUrl,
        INSTANCE_ID: b.name,
        MIGRATE_ON_START: 'false',
        TRUST_PROXY: '127.0.0.1',
        ...b.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    b.child = child;
    const out = (d: Buffer) => {
      for (const line of String(d).split('\n')) if (line.trim()) options.log(`[${name}] ${line}`);
    };
    child.stdout?.on('data', out);
    child.stderr?.on('data', out);
    return child;
  };
  // A backend starting on a loaded 2-core machine (tsx compiling) can take minutes.
  const waitReady = async (name: string, ms = 300_000) => {
    const b = find(name);
    const deadline = Date.now() + ms;
    while (!(await readyz(b.port))) {
      if (b.child && b.child.exitCode !== null)
        throw new Error(`${name} exited with ${b.child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`${name} did not become ready`);
      await sleep(100);
    }
  };
  const exited = (child: ChildProcess | null) =>
    !child || child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => child.once('exit', () => r()));

  for (const b of backends) start(b.name);
  await Promise.all(backends.map((b) => waitReady(b.name)));
  for (const status of [502, 503, 504] as const)
    writeFileSync(join(options.dir, `${status}.http`), lbErrorResponse(status));
  const cfg = join(options.dir, 'haproxy.cfg');
  writeFileSync(cfg, soakHaproxyConfig(options.lbPort, backends, options.dir));
  haproxy = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  haproxy.stderr?.on('data', (d) => options.log(`[haproxy] ${String(d).trim()}`));
  const deadline = Date.now() + 15_000;
  while (!(await accepts(options.lbPort))) {
    if (haproxy.exitCode !== null) throw new Error('HAProxy exited at start');
    if (Date.now() > deadline) throw new Error('HAProxy did not listen');
    await sleep(100);
  }
  // HAProxy starts its servers as up, checks within a second.
  await sleep(1_200);

  return {
    backends,
    lbUrl,
    start,
    async killAndReplace(name) {
      const b = find(name);
      const gone = exited(b.child);
      b.child?.kill('SIGKILL');
      await gone;
      start(name);
      await waitReady(name);
    },
    async restartWith(name, env) {
      const b = find(name);
      const gone = exited(b.child);
      b.child?.kill('SIGTERM');
      const hard = setTimeout(() => b.child?.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(hard);
      start(name, env);
      await waitReady(name);
    },
    ready: (name) => readyz(find(name).port),
    waitReady,
    async stopAll() {
      const children = [...backends.map((b) => b.child), haproxy];
      for (const c of children) if (c && c.exitCode === null) c.kill('SIGTERM');
      const timer = setTimeout(() => {
        for (const c of children) if (c && c.exitCode === null) c.kill('SIGKILL');
      }, 10_000);
      await Promise.all(children.map(exited));
      clearTimeout(timer);
    },
  };
}
