// The console is a client of the backend's tRPC API only. The browser calls
// /trpc on the console's own origin and this rewrite forwards it, so the
// backend needs no CORS.
import type { NextConfig } from 'next';

const backendUrl = (process.env.BACKEND_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');

const config: NextConfig = {
  reactStrictMode: true,
  // A second build or dev server (the E2E run) can use its own folder.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  devIndicators: false,
  poweredByHeader: false,
  async rewrites() {
    return [{ source: '/trpc/:path*', destination: `${backendUrl}/trpc/:path*` }];
  },
};

export default config;
