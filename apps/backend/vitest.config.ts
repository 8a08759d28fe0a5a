import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Every file sets up its own database, Redis key prefix, users, ports and
    // folders, so files could run side by side; but many start backend
    // processes (tsx), a console or a cluster, and on two cores two files at
    // a time were slower than one (start-ups then outran their bounds).
    fileParallelism: false,
    globalSetup: ['./test/support/build-views.ts'],
  },
});
