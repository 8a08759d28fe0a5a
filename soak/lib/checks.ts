// What the soak reads back from its database once every backend has stopped
// (and so flushed what it buffered): when each audit event of a tools/call
// happened, whether a key ever made two intents, whether refunds add up.
import type { Db } from '@flowpos/db';
import type { AuditWritten } from './audit-match.ts';
import type { Integrity } from './report.ts';

/**
 * Audit events of tools/call since the load started: when (ms from `since`)
 * and the x-request-id of the request that carried the call.
 */
export async function auditWritten(db: Db, since: Date): Promise<AuditWritten[]> {
  const rows = await db.$queryRaw<{ created_at: Date; request_id: string | null }[]>`
    SELECT created_at, details->>'requestId' AS request_id FROM audit_event
    WHERE action = 'mcp.tools_call' AND created_at >= ${since}`;
  return rows.map((r) => ({
    atMs: r.created_at.getTime() - since.getTime(),
    requestId: r.request_id,
  }));
}

/** One intent per idempotency key; the order refunded exactly the approved refunds, never over its total. */
export async function integrity(db: Db, orderId: string): Promise<Integrity> {
  const [dup] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT 1 FROM intent WHERE idempotency_key IS NOT NULL
      GROUP BY created_by, idempotency_key HAVING count(*) > 1) d`;
  const [refunds] = await db.$queryRaw<{ total: number; refunded: number; approved: bigint }[]>`
    SELECT o.total_cents AS total, o.refunded_cents AS refunded,
      (SELECT coalesce(sum((i.payload->>'amountCents')::int), 0) FROM intent i
        WHERE i.kind = 'refund' AND i.status = 'approved' AND i.payload->>'orderId' = o.id::text) AS approved
    FROM "order" o WHERE o.id = ${orderId}::uuid`;
  return {
    duplicateIntents: Number(dup?.n ?? 0),
    refundedCents: Number(refunds?.refunded ?? 0),
    approvedRefundCents: Number(refunds?.approved ?? 0),
    orderTotalCents: Number(refunds?.total ?? 0),
  };
}
