// Vitest global setup: the backends these tests start read the built views
// (packages/views/dist), so build them when missing or stale.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

export default function setup(): void {
  const result = spawnSync(process.execPath, ['scripts/build-views.mjs', '--if-stale'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('the views build failed');
}
