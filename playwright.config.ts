// E2E: the console in Chromium and MCP clients against a real backend, on a
// fresh PostgreSQL database and a Redis key prefix of their own. The Firebase
// Auth Emulator must already run (scripts/test.mjs starts it).
import { randomBytes } from 'node:crypto';
import { defineConfig } from '@playwright/test';
import { BACKEND_URL, CONSOLE_PORT, CONSOLE_URL, EMULATOR_HOST } from './e2e/support/env.ts';

// One id per run (npm test's TEST_RUN_ID when there is one), inherited by the
// web servers and the workers: it names the database and the Redis key prefix.
process.env.E2E_RUN_ID ??= `${process.env.TEST_RUN_ID ?? Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

const consoleMode = process.env.E2E_CONSOLE_MODE === 'start' ? 'start' : 'dev';
const nextBin = '../../node_modules/next/dist/bin/next';

export default defineConfig({
  testDir: './e2e',
  outputDir: 'test-results',
  // Spec files two at a time (each creates its own businesses and users); the
  // tests of one file in order.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'playwright-report' }],
    // npm test adds up the runners' JSON reports for its closing line.
    ...(process.env.PLAYWRIGHT_JSON_OUTPUT_FILE
      ? [['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_FILE }] as const]
      : []),
  ],
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
  use: {
    baseURL: CONSOLE_URL,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: [
    {
      // Creates the run's database, then starts apps/backend/src/main.ts on it.
      command: 'node --import tsx e2e/support/backend-server.ts',
      url: `${BACKEND_URL}/healthz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
      env: { E2E_RUN_ID: process.env.E2E_RUN_ID },
    },
    {
      command:
        consoleMode === 'start'
          ? `node ${nextBin} build && node scripts/copy-static.mjs && HOSTNAME=127.0.0.1 PORT=${CONSOLE_PORT} node .next/e2e/standalone/apps/console/server.js`
          : `node ${nextBin} dev -H 127.0.0.1 -p ${CONSOLE_PORT}`,
      cwd: 'apps/console',
      url: `${CONSOLE_URL}/sign-in`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      env: {
        BACKEND_URL,
        NEXT_DIST_DIR: '.next/e2e',
        NEXT_TELEMETRY_DISABLED: '1',
        NEXT_PUBLIC_FIREBASE_AUTH_EMULATOR_HOST: EMULATOR_HOST,
      },
    },
  ],
});
