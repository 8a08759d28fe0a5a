// `npm start` on ports of one's choosing: when it starts the Firebase Auth
// Emulator itself, every port the emulator takes (its own, its hub's, its
// logging emulator's) is chosen away from PORT and CONSOLE_PORT, so the
// product starts on them; PORT equal to the emulator's port is refused in
// one line before anything starts.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/server.ts';
import { listening, waitFor } from '../support/poll.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
const folders: string[] = [];

afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const answers = async (url: string) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
};

/** npm start with its own emulator on `emulatorPort` (none answers there). */
function npmStart(ports: { port: number; consolePort: number; emulatorPort: number }) {
  const folder = mkdtempSync(join(tmpdir(), 'fp-start-ports-'));
  folders.push(folder);
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(ports.port),
      CONSOLE_PORT: String(ports.consolePort),
      DATABASE_URL: `pglite:${join(folder, 'pglite')}`,
      FIREBASE_AUTH_EMULATOR_HOST: `127.0.0.1:${ports.emulatorPort}`,
      AUTH_EMULATOR_DATA: join(folder, 'firebase'),
      NEXT_DIST_DIR: `.next-ports-${ports.consolePort}`,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run = { child, output: '' };
  child.stdout.on('data', (d) => (run.output += String(d)));
  child.stderr.on('data', (d) => (run.output += String(d)));
  return run;
}

const exited = (child: ReturnType<typeof spawn>) =>
  new Promise<number | null>((r) =>
    child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code)),
  );

describe('npm start on chosen ports', () => {
  it(
    'starts the product, with the emulator it starts on none of the product ports',
    { timeout: 300_000 },
    async () => {
      const [port, consolePort, emulatorPort] = [
        await freePort(),
        await freePort(),
        await freePort(),
      ];
      const run = npmStart({ port, consolePort, emulatorPort });
      try {
        await waitFor(
          async () =>
            (await answers(`http://127.0.0.1:${port}/healthz`)) && (await listening(consolePort)),
          {
            what: () => `npm start to serve the backend and the console\n${run.output}`,
            timeoutMs: 240_000,
            intervalMs: 250,
          },
        );
        expect(await answers(`http://127.0.0.1:${emulatorPort}/`)).toBe(true);
        // The emulator's configuration for this run: every port it holds.
        const config = JSON.parse(
          readFileSync(resolve(REPO_ROOT, '.data/logs/auth-emulator.firebase.json'), 'utf8'),
        ) as { emulators: Record<string, { port?: number }> };
        const { auth, hub, logging } = config.emulators;
        expect(auth?.port).toBe(emulatorPort);
        for (const taken of [hub?.port, logging?.port]) {
          expect(taken).toBeTypeOf('number');
          expect([port, consolePort, emulatorPort]).not.toContain(taken);
          expect(await listening(taken ?? 0)).toBe(true);
        }
        expect(run.output).not.toMatch(/A backend answers on port/);
      } finally {
        run.child.kill('SIGINT');
        await exited(run.child);
        rmSync(resolve(REPO_ROOT, 'apps/console', `.next-ports-${consolePort}`), {
          recursive: true,
          force: true,
        });
      }
      // Ctrl-C stopped the emulator it started too.
      await waitFor(async () => !(await listening(emulatorPort)), {
        what: 'the emulator to stop',
        timeoutMs: 20_000,
        intervalMs: 250,
      });
    },
  );

  it(
    'refuses PORT equal to the emulator port, in one line, before starting anything',
    {
      timeout: 120_000,
    },
    async () => {
      const [port, consolePort] = [await freePort(), await freePort()];
      const run = npmStart({ port, consolePort, emulatorPort: port });
      const code = await exited(run.child);
      expect(code).not.toBe(0);
      expect(run.output).toContain(
        `port ${port} is the Firebase Auth Emulator's (FIREBASE_AUTH_EMULATOR_HOST): set PORT to another port for the backend`,
      );
      expect(await listening(port)).toBe(false);
    },
  );
});
