// The soak's table (markdown, for the terminal and the README) and verdict.
import type { Bad5xx } from './client-fetch.ts';
import type { FaultFigures, Totals } from './figures.ts';

const ms = (v: number | null) => (v === null ? '–' : `${v}`);
const causes = (failed: Record<string, number>) =>
  Object.entries(failed)
    .sort((a, b) => b[1] - a[1])
    .map(([cause, n]) => `${n} ${cause}`)
    .join(', ') || '0';

export function table(faults: readonly FaultFigures[]): string {
  const head = [
    'fault',
    'fault s',
    'calls',
    'ok',
    'failed (cause)',
    'retries',
    'sessions lost',
    'streams reopened',
    'audit expected / written',
    'p99 before / during / after ms',
    'recovery s',
  ];
  const rows = faults.map((f) => [
    f.label,
    `${f.faultSeconds}`,
    `${f.attempted}`,
    `${f.succeeded}`,
    causes(f.failed),
    `${f.retries}`,
    `${f.sessionsLost}`,
    `${f.listenReopened}`,
    `${f.auditExpected} / ${f.auditWritten}`,
    `${ms(f.p99BeforeMs)} / ${ms(f.p99DuringMs)} / ${ms(f.p99AfterMs)}`,
    f.recoverySeconds === null ? 'not recovered' : `${f.recoverySeconds}`,
  ]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export interface Integrity {
  duplicateIntents: number;
  refundedCents: number;
  approvedRefundCents: number;
  orderTotalCents: number;
}

/** What fails the run: each a sentence; empty when the goals hold. */
export function violations(
  t: Totals,
  integrity: Integrity,
  maxRecoverySeconds: number,
  faults: readonly FaultFigures[],
): string[] {
  const out: string[] = [];
  if (t.auditLost > 0)
    out.push(
      `${t.auditLost} audit events lost (${t.auditExpected} owed, ${t.auditWritten} written; kill -9 aside)`,
    );
  if (integrity.duplicateIntents > 0)
    out.push(`${integrity.duplicateIntents} idempotency keys with more than one intent`);
  if (integrity.refundedCents !== integrity.approvedRefundCents)
    out.push(
      `order refunded ${integrity.refundedCents} cents but approved refunds add up to ${integrity.approvedRefundCents}`,
    );
  if (integrity.refundedCents > integrity.orderTotalCents) out.push('refunds over the order total');
  if (t.http5xx > 0)
    out.push(`${t.http5xx} 5xx answers without Retry-After and a JSON-RPC body (or a 500)`);
  if (t.hangs > 0) out.push(`${t.hangs} calls hung`);
  for (const f of faults)
    if (f.recoverySeconds === null || f.recoverySeconds > maxRecoverySeconds)
      out.push(
        `${f.label}: recovery ${f.recoverySeconds ?? 'not reached'} s (limit ${maxRecoverySeconds} s)${f.recoveryNote ? `; ${f.recoveryNote}` : ''}`,
      );
  return out;
}

/** The table, the totals line and the first answers that broke the 503 rule. */
export function summary(
  faults: readonly FaultFigures[],
  sum: Totals,
  checked: Integrity,
  bad5xx: readonly Bad5xx[],
): string[] {
  return [
    '',
    table(faults),
    '',
    `Total: ${sum.attempted} calls, ${sum.succeeded} ok; audit ${sum.auditExpected} owed / ${sum.auditWritten} written, matched by request id (${sum.auditLost} lost, ${sum.auditUnmatched} written for calls the client did not see answered); ` +
      `${checked.duplicateIntents} double-applied intents; refunds ${checked.refundedCents} of ${checked.orderTotalCents} cents (approved ${checked.approvedRefundCents}); ` +
      `${sum.http5xx} bad 5xx; ${sum.hangs} hangs; worst recovery ${sum.worstRecoverySeconds ?? 'not reached'} s`,
    ...bad5xx
      .slice(0, 10)
      .map((b) => `  bad 5xx at ${(b.atMs / 1000).toFixed(1)} s: ${b.status} ${b.detail}`),
  ];
}
