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
  // The forms validate with core's zod schemas (@flowpos/core/schemas), shipped as TypeScript.
  transpilePackages: ['@flowpos/core'],
  // A second build or dev server (the E2E run) can use its own folder.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  devIndicators: false,
  poweredByHeader: false,
  // No page of the console may be framed (clickjacking): CSP for current
  // browsers, X-Frame-Options for old ones.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          {
            key: 'Content-Security-Policy',
            value: "frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
          },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
        ],
      },
    ];
  },
};

export default config;
