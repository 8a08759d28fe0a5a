// Builds the MCP Apps views (packages/views/dist/<name>.html), which the
// backend reads at start. `--if-stale`: only when a view is missing or older
// than one of the views' sources. Plain Node ESM, like the other entry scripts.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const viewsDir = resolve(root, 'packages/views');

/** Every file under `dir` (recursively). */
const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = resolve(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });

function isFresh() {
  try {
    const dist = resolve(viewsDir, 'dist');
    const built = readdirSync(dist).filter((f) => f.endsWith('.html'));
    const entries = readdirSync(viewsDir).filter((f) => f.endsWith('.html'));
    if (entries.some((f) => !built.includes(f))) return false;
    const oldest = Math.min(...built.map((f) => statSync(resolve(dist, f)).mtimeMs));
    const sources = [
      ...filesUnder(resolve(viewsDir, 'src')),
      ...entries.map((f) => resolve(viewsDir, f)),
      resolve(viewsDir, 'build.ts'),
    ];
    return sources.every((f) => statSync(f).mtimeMs <= oldest);
  } catch {
    return false;
  }
}

if (!(process.argv.includes('--if-stale') && isFresh())) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'build.ts'], {
    cwd: viewsDir,
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}
