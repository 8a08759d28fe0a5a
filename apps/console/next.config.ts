// The console is a client of the backend's tRPC API only. The browser calls
// /trpc on the console's own origin and a route handler forwards it to
// BACKEND_URL, read at run time, so one build serves any deployment and the
// backend needs no CORS. `output: 'standalone'` gives a server that runs with
// plain `node` and no dev dependencies (see scripts/copy-static.mjs).
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  output: 'standalone',
  // The workspace packages (@flowpos/api ...) live above this app.
  outputFileTracingRoot: fileURLToPath(new URL('../..', import.meta.url)),
  // A second build or dev server (the E2E run) can use its own folder.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  devIndicators: false,
  poweredByHeader: false,
};

export default config;
