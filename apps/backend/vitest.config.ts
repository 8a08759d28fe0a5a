import { configDefaults, defineConfig } from 'vitest/config';

/** In-process unit tests of src (test/unit mirrors src's modules). */
const UNIT = 'test/unit/**/*.test.ts';

/**
 * Files that start whole processes (npm start, the cluster, the soak, backends
 * killed and restarted, the conformance suite): one at a time, after the rest,
 * so their start-up and recovery bounds never share the two cores with another file.
 */
const PROCESSES = [
  'test/scripts/**/*.test.ts',
  'test/**/conformance.test.ts',
  'test/embedded-database-holder.test.ts',
  'test/shutdown.test.ts',
  'test/mcp/sessions/restart.test.ts',
  'test/oauth/revocation-store-outage.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['./test/support/build-views.ts'],
    // Every other file sets up its own database, Redis key prefix, users, ports
    // and folders, and spends much of its time waiting on I/O: two side by side.
    maxWorkers: 2,
    projects: [
      {
        // In process: no database, Redis nor server (a few seconds in all).
        extends: true,
        test: {
          name: 'unit',
          include: [UNIT],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          exclude: [...configDefaults.exclude, UNIT, ...PROCESSES],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'processes',
          include: PROCESSES,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
