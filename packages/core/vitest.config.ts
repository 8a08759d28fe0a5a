import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration files start servers and databases of their own; two cores.
    fileParallelism: false,
  },
});
