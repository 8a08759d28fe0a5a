// After `next build`: the standalone server serves /_next/static and public/
// from beside itself, and Next leaves copying them to the deployer.
import { cpSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.NEXT_DIST_DIR ?? '.next';
const standaloneApp = join(app, distDir, 'standalone/apps/console');
if (!existsSync(join(standaloneApp, 'server.js'))) {
  console.error(`${standaloneApp}/server.js is missing: run next build first`);
  process.exit(1);
}
cpSync(join(app, distDir, 'static'), join(standaloneApp, distDir, 'static'), { recursive: true });
if (existsSync(join(app, 'public')))
  cpSync(join(app, 'public'), join(standaloneApp, 'public'), { recursive: true });
