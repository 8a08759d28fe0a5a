// The soak's table (markdown, for the terminal and the README) and verdict.
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
      `${t.auditLost} audit events lost (${t.auditExpected} owed, ${t.auditWritten} written)`,
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
        `${f.label}: recovery ${f.recoverySeconds ?? 'not reached'} s (limit ${maxRecoverySeconds} s)`,
      );
  return out;
}
