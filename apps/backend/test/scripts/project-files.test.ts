// The repository keeps its promises: CI runs the static checks, a bench run
// leaves tracked files alone, the seed will not open a database a running
// backend holds, and the runbook says the same thing about restarts everywhere.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../../..');
const read = (file: string) => readFileSync(resolve(root, file), 'utf8');
const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).status;

describe('project files', () => {
  it('CI runs format:check, lint and typecheck before the tests', () => {
    const steps = read('.ci/run')
      .split('\n')
      .filter((line) => /^npm (run|test)/.test(line))
      .map((line) => line.replace(/ <\/dev\/null$/, ''));
    expect(steps).toEqual([
      'npm run format:check',
      'npm run lint',
      'npm run typecheck',
      'npm test',
    ]);
  });

  it('bench results are git-ignored; the committed reference is a separate file', () => {
    expect(git('check-ignore', '-q', 'bench/results/latest.json')).toBe(0);
    expect(git('ls-files', '--error-unmatch', 'bench/reference.json')).toBe(0);
    expect(
      execFileSync('git', ['ls-files', 'bench/results'], { cwd: root, encoding: 'utf8' }),
    ).toBe('');
  });

  it('the runbook ties every session-survives-restart line to Redis or the embedded default', () => {
    // §9 (faults) is about restarting PostgreSQL, Redis and backends, not about sessions.
    const lines = (read('docs/runbook.md').split('\n## 9.')[0] as string)
      .split('\n')
      .filter((line) => /restart/i.test(line) && !/Cursor\/Claude restart/.test(line));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line).toMatch(/Redis|embedded/);
  });
});

describe('npm run seed', () => {
  let backend: Server;
  let port: number;
  beforeAll(async () => {
    backend = createServer((socket) => socket.end());
    await new Promise<void>((done) => backend.listen(0, '127.0.0.1', done));
    port = (backend.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((done) => backend.close(() => done())));

  it('refuses, in one line, to open the embedded database while a backend answers', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/seed.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', PORT: String(port) },
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `A backend answers on port ${port} and may hold the embedded database: stop npm start first (it seeds at start), or seed PostgreSQL with DATABASE_URL`,
    );
  });
});
