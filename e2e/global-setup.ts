// Runs after Playwright has started the web servers: makes the run's database
// known to the fixtures (workers inherit process.env), checks the emulator and
// has every console route compiled before the first test.
import { readFileSync } from 'node:fs';
import { EMULATOR_URL, stateFile, type RunState } from './support/env.ts';
import { warmConsole } from './support/warm-console.ts';

export default async function globalSetup() {
  const state = JSON.parse(readFileSync(stateFile(), 'utf8')) as RunState;
  process.env.E2E_DATABASE_URL = state.databaseUrl;
  process.env.E2E_DATABASE_NAME = state.databaseName;
  try {
    await fetch(`${EMULATOR_URL}/`, { signal: AbortSignal.timeout(3_000) });
  } catch {
    throw new Error(
      `The Firebase Auth Emulator does not answer at ${EMULATOR_URL}. Start it first: ` +
        'CI=1 node node_modules/firebase-tools/lib/bin/firebase.js emulators:start --only auth --project demo-flowpos --non-interactive',
    );
  }
  await warmConsole();
}
