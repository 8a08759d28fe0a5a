// One process per embedded PGlite database: while a backend holds the folder,
// a second opener (seed, migrate, another backend) stops at once with one
// line naming the holder, and the running backend is not disturbed. A holder
// killed with -9 does not keep the folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/poll.ts';
import { freePort, TEST_TOKEN_SECRET } from './support/server.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
let folder: string;
let dataDir: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'fp-holder-'));
  dataDir = join(folder, 'pglite');
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

function run(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      DATABASE_URL: `pglite:${dataDir}`,
      REDIS_URL: '',
      MCP_TOKEN_SECRET: TEST_TOKEN_SECRET,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, output: () => output };
}

async function waitHealthy(port: number, exited: Promise<unknown>, output: () => string) {
  let done = false;
  void exited.then(() => (done = true));
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, {
    what: `the backend on port ${port} to answer /healthz`,
    timeoutMs: 60_000,
    intervalMs: 200,
    failIf: () => (done ? `backend exited:\n${output()}` : undefined),
  });
}

describe('one process per embedded database', () => {
  it('a second opener stops at once naming the holder; the holder goes on; kill -9 frees the folder', async () => {
    const port = await freePort();
    const backend = run('apps/backend/src/main.ts', { PORT: String(port) });
    await waitHealthy(port, backend.exited, backend.output);

    for (const [script, env] of [
      ['scripts/migrate.ts', {}],
      ['apps/backend/src/main.ts', { PORT: String(await freePort()) }],
    ] as const) {
      const second = run(script, env);
      expect(await second.exited).toBe(1);
      const lines = second.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `The embedded database ${dataDir} is in use by process ${backend.child.pid}`,
      );
      expect(lines[0]).toContain('main.ts');
    }
    // The running backend was not disturbed.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    backend.child.kill('SIGKILL');
    await backend.exited;
    // PGlite's own folder state after kill -9 is its business; the holder file no longer blocks.
    const after = run('scripts/migrate.ts', {});
    await after.exited;
    expect(after.output()).not.toContain('is in use by process');
    // Four processes start under tsx, one after the other: a bound for a loaded machine, not a speed check.
  }, 180_000);
});
