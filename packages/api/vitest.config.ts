import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file builds its own world (database, users, in-memory bus): files
    // run side by side, two at a time (vitest would take one worker fewer than the cores).
    maxWorkers: 2,
  },
});
