import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Every file sets up its own database, Redis key prefix, users, ports and
    // folders, so files run side by side: two at a time, one per core of the
    // machines we run on (vitest would take one worker fewer than the cores).
    maxWorkers: 2,
  },
});
