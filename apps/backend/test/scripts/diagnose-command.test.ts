// `npm run diagnose -- <value>`: the same diagnosis as the console, printed,
// against PostgreSQL + Redis (a live session in Redis) and against an
// embedded PGlite folder no backend holds. The pasted secret is never printed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDatabase } from '@flowpos/db';
import { describe, expect, it } from 'vitest';
import { createBusiness, createKey } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';
import { rawSession } from '../support/raw-http.ts';

const root = resolve(import.meta.dirname, '../../../..');
/** A cold tsx start of the script on a busy machine takes a while. */
const SLOW = { timeout: 240_000 };

function runDiagnose(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/diagnose.ts', ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += String(c)));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('npm run diagnose on PostgreSQL + Redis', () => {
  const h = useHarness('diagnose-cli');

  it('a revoked key: the runbook row and step, never the secret', SLOW, async () => {
    const { business } = await createBusiness(h.db);
    const { key } = await createKey(h.db, { businessId: business.id, revoked: true });
    const config = h.server.services.config;
    const env = {
      DATABASE_URL: h.database.url,
      REDIS_URL: config.redisUrl as string,
      REDIS_KEY_PREFIX: config.redisKeyPrefix,
    };
    const run = await runDiagnose([key], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('was revoked');
    expect(run.stdout).toContain(
      'Runbook §1: "401 Authentication required: provide a valid MCP API key or access token on POST /mcp"',
    );
    expect(run.stdout).toContain('Runbook §3 A) 3: isActive = true');
    expect(run.stdout).not.toContain(key);
  });

  it('a live session in Redis: alive, and the instance that served it', SLOW, async () => {
    const { business } = await createBusiness(h.db);
    const { key } = await createKey(h.db, { businessId: business.id });
    const sessionId = await rawSession(h.server.mcpUrl, key);
    const config = h.server.services.config;
    const run = await runDiagnose([sessionId, '--json'], {
      DATABASE_URL: h.database.url,
      REDIS_URL: config.redisUrl as string,
      REDIS_KEY_PREFIX: config.redisKeyPrefix,
    });
    const [d] = JSON.parse(run.stdout).diagnoses;
    expect(d.facts).toContainEqual({ label: 'State', value: 'alive' });
    expect(d.facts).toContainEqual({
      label: 'Instance that last served it',
      value: config.instanceId,
    });
  });
});

describe('npm run diagnose on the embedded default (PGlite)', () => {
  it('a key missing the scope a tool needs', SLOW, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowpos-diagnose-cli-'));
    try {
      const url = `pglite:${join(dir, 'db')}`;
      const db = createDatabase(url);
      await db.migrate();
      const { business } = await createBusiness(db.prisma);
      const { key } = await createKey(db.prisma, { businessId: business.id, scopes: ['pos:read'] });
      await db.close();
      const run = await runDiagnose([key, '--tool', 'create_sale_intent'], {
        DATABASE_URL: url,
        REDIS_URL: '',
        PORT: '1',
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(
        'Tool create_sale_intent is hidden from this credential: needs pos:intents',
      );
      expect(run.stdout).toContain('Runbook §3 A) 3: key scopes include required tool scopes');
      expect(run.stdout).not.toContain(key);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
