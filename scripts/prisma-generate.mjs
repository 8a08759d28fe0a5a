// Generates the Prisma client offline. Prisma 7's CLI wants to download its
// schema engine even for `generate`, where it never runs it: pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file avoids the download.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const cli = resolve(root, 'node_modules/prisma/build/index.js');
if (!existsSync(cli)) {
  console.error('prisma CLI missing: run `npm ci` first');
  process.exit(1);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const result = spawnSync(process.execPath, [cli, 'generate'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
