// `npm run soak` for 60 seconds with one fault of each kind (issue 22): a
// backend killed with SIGKILL while it holds streams, Redis restarted and
// cut off for 10 s, PostgreSQL fast-shut-down and cut off for 10 s, a backend
// restarted with a rolled MCP_TOKEN_SECRET — on the soak's own PostgreSQL,
// Redis and HAProxy (never the shared services). Fails on any lost audit
// event, intent applied twice, refund over its order, 5xx that is not a
// proper 503 (Retry-After and a JSON-RPC error body), hang, or a recovery
// over 10 s. The run takes longer than 60 s on a loaded machine: each fault
// waits for the previous one's recovery, and backends start slowly.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAULT_KINDS, type FaultKind } from '../../../../soak/lib/schedule.ts';
import { reapOnExit } from '../support/reap.ts';
import { EMULATOR_HOST } from '../support/server.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
const dir = mkdtempSync(join(tmpdir(), 'flowpos-soak-test-'));
const results = join(dir, 'latest.json');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SoakResults {
  faults: { kind: FaultKind; label: string; recoverySeconds: number | null }[];
  totals: {
    auditExpected: number;
    auditWritten: number;
    auditLost: number;
    hangs: number;
  };
  integrity: {
    duplicateIntents: number;
    refundedCents: number;
    approvedRefundCents: number;
    orderTotalCents: number;
  };
  bad5xx: { status: number; detail: string }[];
  violations: string[];
}

describe('npm run soak', () => {
  it(
    'rides out one fault of each kind under load: nothing lost, nothing applied twice, no 5xx, no hang, recoveries within 10 s',
    async () => {
      const output: string[] = [];
      const child = reapOnExit(
        spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            'soak/run.ts',
            '--seconds',
            '60',
            '--max-recovery',
            '10',
            '--results',
            results,
          ],
          {
            cwd: REPO_ROOT,
            env: {
              ...process.env,
              FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST ?? EMULATOR_HOST,
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        ),
      );
      child.stdout?.on('data', (d) => output.push(String(d)));
      child.stderr?.on('data', (d) => output.push(String(d)));
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      const log = output.join('');
      console.info(
        log
          .split('\n')
          .filter((l) => l.startsWith('|') || l.startsWith('Total'))
          .join('\n'),
      );

      expect(existsSync(results), `no results: the soak stopped early\n${log.slice(-4000)}`).toBe(
        true,
      );
      const soak = JSON.parse(readFileSync(results, 'utf8')) as SoakResults;
      expect(soak.faults.map((f) => f.kind)).toEqual(FAULT_KINDS);
      expect(soak.totals.auditExpected).toBeGreaterThan(0);
      // Matched call by call (request id), a kill -9 included: a call is answered
      // only once its event is written (docs/runbook.md §9).
      expect(soak.totals.auditLost, 'audit events lost').toBe(0);
      expect(soak.totals.auditWritten).toBe(soak.totals.auditExpected);
      expect(soak.integrity.duplicateIntents, 'intents created twice for one key').toBe(0);
      expect(soak.integrity.refundedCents, 'refunds applied twice').toBe(
        soak.integrity.approvedRefundCents,
      );
      expect(soak.integrity.refundedCents).toBeLessThanOrEqual(soak.integrity.orderTotalCents);
      expect(soak.bad5xx, '5xx answers without Retry-After and a JSON-RPC body').toEqual([]);
      expect(soak.totals.hangs, 'calls that hung').toBe(0);
      for (const f of soak.faults) {
        expect(f.recoverySeconds, `${f.label}: recovered`).not.toBeNull();
        expect(f.recoverySeconds!, `${f.label}: recovery`).toBeLessThanOrEqual(10);
      }
      expect(soak.violations).toEqual([]);
      expect(code, log.slice(-4000)).toBe(0);
    },
    30 * 60_000,
  );
});
