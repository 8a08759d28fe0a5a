// A rejected promise nobody handles is logged and counted; the process goes on
// (run in a child process: Node's default there would be to exit with code 1).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const BACKEND = resolve(import.meta.dirname, '../..');

it('an unhandled rejection is logged and counted, and the process carries on', () => {
  const script = `
    import { createLogger } from './src/observability/logger.ts';
    import { logUnhandledRejections } from './src/observability/unhandled-rejections.ts';
    let counted = 0;
    logUnhandledRejections(createLogger({ level: 'info', format: 'json' }), () => counted++);
    Promise.reject(new Error('nobody caught this'));
    setTimeout(() => console.log(JSON.stringify({ alive: true, counted })), 100);
  `;
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: BACKEND,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  expect(run.status, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n');
  const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(logged).toContainEqual(
    expect.objectContaining({ msg: 'unhandled promise rejection', level: 50 }),
  );
  expect(JSON.stringify(logged)).toContain('nobody caught this');
  expect(logged.at(-1)).toEqual({ alive: true, counted: 1 });
});
