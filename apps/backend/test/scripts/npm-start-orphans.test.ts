// `npm start` leaves nothing behind: when its own process dies (kill -9, a
// closed terminal), the backend and the console it started exit within
// seconds, so the next `npm start` finds its ports free. Also when it runs on
// Node 24 under the re-executing wrapper of an older machine Node, and the
// wrapper is the one that dies.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMULATOR_HOST, freePort } from '../support/server.ts';
import { listening, waitFor } from '../support/poll.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
const MACHINE_NODE = '/usr/bin/node';
const folders: string[] = [];

afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

async function startThenKill(node: string) {
  const folder = mkdtempSync(join(tmpdir(), 'fp-start-'));
  folders.push(folder);
  const [port, consolePort] = [await freePort(), await freePort()];
  const child = spawn(node, ['scripts/start.mjs'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      CONSOLE_PORT: String(consolePort),
      DATABASE_URL: `pglite:${join(folder, 'pglite')}`,
      FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST ?? EMULATOR_HOST,
      NEXT_DIST_DIR: `.next-orphans-${consolePort}`,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  try {
    await waitFor(async () => (await listening(port)) && (await listening(consolePort)), {
      what: () => `npm start to serve the backend and the console\n${output}`,
      timeoutMs: 240_000,
      intervalMs: 250,
    });
    child.kill('SIGKILL');
    await waitFor(async () => !(await listening(port)) && !(await listening(consolePort)), {
      what: 'the backend and the console to exit after npm start was killed',
      timeoutMs: 15_000,
      intervalMs: 250,
    });
    // Ports free: the next npm start can take them.
    expect(await listening(port)).toBe(false);
    expect(await listening(consolePort)).toBe(false);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(resolve(REPO_ROOT, 'apps/console', `.next-orphans-${consolePort}`), {
      recursive: true,
      force: true,
    });
  }
}

describe('npm start killed with -9', () => {
  it('its backend and console exit within seconds', { timeout: 300_000 }, async () => {
    await startThenKill(process.execPath);
  });

  // The machine's own Node (20 here) re-runs npm start on Node 24: kill that wrapper.
  it(
    'also when the killed process is the wrapper that re-runs it on Node 24',
    { timeout: 300_000 },
    async () => {
      await startThenKill(existsSync(MACHINE_NODE) ? MACHINE_NODE : process.execPath);
    },
  );
});
