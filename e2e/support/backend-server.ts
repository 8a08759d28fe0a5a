// Playwright's webServer for the backend. Playwright starts web servers
// before global setup runs, so the fresh database has to be created here:
// createTestDatabase (create + migrate), its URL written to the run's state
// file for global setup (fixtures) and global teardown (drop), then the real
// backend on it. On SIGTERM/SIGINT the backend stops and the database is dropped.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createTestDatabase } from '@flowpos/db/testing';
import { backendEnv } from './backend-env.ts';
import { BACKEND_PORT, runId, stateFile, type RunState } from './env.ts';

// The backend reads the built views (npm test builds them; a lone run may not have).
if (
  spawnSync(process.execPath, ['scripts/build-views.mjs', '--if-stale'], { stdio: 'inherit' })
    .status !== 0
)
  throw new Error('the views build failed');

const database = await createTestDatabase(`e2e${runId()}`);
const state: RunState = { databaseUrl: database.url, databaseName: database.name };
writeFileSync(stateFile(), JSON.stringify(state));
// The backend opens its own pool; this process only needs the handle to drop it.
await database.prisma.$disconnect();

const backend = spawn(process.execPath, ['apps/backend/src/main.ts'], {
  stdio: 'inherit',
  env: backendEnv(database.url, BACKEND_PORT, `e2e-${runId()}`),
});

let finishing: Promise<void> | undefined;
function finish(code: number): Promise<void> {
  finishing ??= (async () => {
    if (backend.exitCode === null && backend.signalCode === null) {
      backend.kill('SIGTERM');
      await new Promise((resolve) => backend.once('exit', resolve));
    }
    try {
      await database.drop();
    } catch (error) {
      console.error('e2e: could not drop the test database', error);
    }
    rmSync(stateFile(), { force: true });
    process.exit(code);
  })();
  return finishing;
}

backend.on('exit', (code, signal) => {
  if (!finishing) {
    console.error(`e2e: the backend exited (${signal ?? `code ${code}`})`);
    void finish(code || 1);
  }
});
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
  process.on(signal, () => void finish(0));
