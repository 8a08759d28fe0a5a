// Where the E2E run's servers listen and where it keeps its state. The run id
// is set once by playwright.config.ts and inherited by every process it starts.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BACKEND_PORT = Number(process.env.E2E_BACKEND_PORT ?? 4100);
export const CONSOLE_PORT = Number(process.env.E2E_CONSOLE_PORT ?? 3100);
export const BACKEND_URL = `http://127.0.0.1:${BACKEND_PORT}`;
export const CONSOLE_URL = `http://127.0.0.1:${CONSOLE_PORT}`;
export const MCP_URL = `${BACKEND_URL}/mcp`;
export const EMULATOR_HOST = process.env.FIREBASE_AUTH_EMULATOR_HOST ?? '127.0.0.1:9099';
export const EMULATOR_URL = `http://${EMULATOR_HOST}`;
export const FIREBASE_PROJECT_ID = 'demo-flowpos';
export const REDIS_URL =
  process.env.E2E_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PASSWORD = 'e2e-password-1';

export function runId(): string {
  const id = process.env.E2E_RUN_ID;
  if (!id) throw new Error('E2E_RUN_ID is not set: run the E2E tests through playwright.config.ts');
  return id;
}

export const redisKeyPrefix = () => `fp:e2e:${runId()}:`;

/** The database the backend of this run uses: written by backend-server.ts, read by global setup/teardown. */
export const stateFile = () => join(tmpdir(), `flowpos-e2e-${runId()}.json`);

export interface RunState {
  databaseUrl: string;
  databaseName: string;
}
