// The soak's own PostgreSQL cluster and redis-server, in a temporary folder
// and on ports of their own: the machine's shared 5432/6379 are never touched.
// PostgreSQL's initdb refuses root, so as root its tools run as `postgres`.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { accepts, stopChild } from '../../apps/backend/harness/local-process.ts';

export { freePort } from '../../apps/backend/harness/free-port.ts';
export { accepts };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean>, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: timed out`);
    await sleep(50);
  }
}

/** Debian's versioned folder (newest first), else what is on PATH. */
function postgresBin(name: string): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions)
      if (existsSync(join(base, v, 'bin', name))) return join(base, v, 'bin', name);
  }
  return existsSync(`/usr/local/bin/${name}`) ? `/usr/local/bin/${name}` : name;
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL tool, as `postgres` when we are root. */
function pgTool(name: string, args: string[]) {
  const bin = postgresBin(name);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0)
    throw new Error(`${name} ${args.join(' ')} failed: ${r.stderr || r.stdout || r.error}`);
  return r.stdout;
}

/** The same, without blocking the event loop (the load's timings go on meanwhile). */
function pgToolAsync(name: string, args: string[]): Promise<void> {
  const bin = postgresBin(name);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return new Promise((resolve, reject) =>
    execFile(cmd, argv, { timeout: 120_000 }, (error, stdout, stderr) =>
      error
        ? reject(
            new Error(`${name} ${args.join(' ')} failed: ${stderr || stdout || error.message}`),
          )
        : resolve(),
    ),
  );
}

export interface Postgres {
  port: number;
  url(database: string, port?: number): string;
  /** `pg_ctl stop -m fast`: sessions ended, a clean checkpoint. */
  stopFast(): Promise<void>;
  start(): Promise<void>;
  destroy(): void;
}

export async function startPostgres(dir: string, port: number): Promise<Postgres> {
  const data = join(dir, 'pgdata');
  mkdirSync(data, { recursive: true });
  if (asRoot) {
    const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(pw.stdout), Number(gid.stdout));
    chownSync(data, Number(pw.stdout), Number(gid.stdout));
  }
  pgTool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=32MB`;
  let running = false;
  const start = async () => {
    await pgToolAsync('pg_ctl', [
      '-D',
      data,
      '-o',
      options,
      '-l',
      join(dir, 'postgres.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
    running = true;
    await until('PostgreSQL to accept connections', () => accepts(port));
  };
  await start();
  return {
    port,
    url: (database, p = port) => `postgresql://postgres@127.0.0.1:${p}/${database}`,
    async stopFast() {
      await pgToolAsync('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      running = false;
    },
    start,
    destroy() {
      if (!running) return;
      try {
        pgTool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        /* already gone */
      }
      running = false;
    },
  };
}

export interface RedisServer {
  port: number;
  /** SIGTERM (the AOF is flushed), then started again on the same folder and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  child(): ChildProcess | undefined;
}

export async function startRedis(dir: string, port: number): Promise<RedisServer> {
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    const c = child;
    await until('redis-server to start', async () => {
      if (c.exitCode !== null) throw new Error(`redis-server exited with ${c.exitCode}`);
      return accepts(port);
    });
  };
  const stop = () => stopChild(child, 'SIGTERM');
  await start();
  return {
    port,
    async restart() {
      await stop();
      await start();
    },
    stop,
    child: () => child,
  };
}
