// Reading the audit trail: merchants see their business's events, operators
// every event. Newest first, keyset-paginated on (createdAt, id) so pages stay
// stable while events are being written.
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import type { Actor } from './access/actor.ts';
import { actorLabels, type ActorLabel } from './access/actor-labels.ts';
import { auditFilterShape, auditTimeZone, auditWhere, authorizeAudit } from './audit-filters.ts';
import type { AuditFilters } from './audit-filters.ts';
import { badRequest } from './errors.ts';

export const auditListInput = z.object({
  ...auditFilterShape,
  cursor: z.string().max(200).nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type AuditListInput = z.input<typeof auditListInput>;

export interface AuditEventView {
  id: string;
  action: string;
  outcome: string;
  actorKind: string;
  actorId: string | null;
  /** Who the actor is, as people read it (a key's name, a user's e-mail); null without actorId. */
  actor: ActorLabel | null;
  businessId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

export interface AuditPage {
  items: AuditEventView[];
  nextCursor: string | null;
  /** The zone the date filters are read in (the business's, or UTC across businesses). */
  timeZone: string;
}

const cursorShape = z.object({ t: z.iso.datetime(), id: z.uuid() });

export function encodeAuditCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ t: row.createdAt.toISOString(), id: row.id })).toString(
    'base64url',
  );
}

export function decodeAuditCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const parsed = cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt: new Date(parsed.t), id: parsed.id };
  } catch {
    throw badRequest('cursor: not a cursor this list returned');
  }
}

export async function listAuditEvents(
  db: Db,
  actor: Actor,
  input: AuditFilters & { cursor?: string | null | undefined; limit: number },
): Promise<AuditPage> {
  authorizeAudit(actor, input.businessId);
  const after = input.cursor ? decodeAuditCursor(input.cursor) : null;
  const timeZone = await auditTimeZone(db, input.businessId);
  const where = await auditWhere(db, input, timeZone);
  const rows = await db.auditEvent.findMany({
    where: { ...where, ...(after ? olderThan(after) : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: await auditEventViews(db, page),
    nextCursor: rows.length > input.limit && last ? encodeAuditCursor(last) : null,
    timeZone,
  };
}

/** Keyset condition: rows after `row` in newest-first order. */
export function olderThan(row: { createdAt: Date; id: string }) {
  return {
    OR: [{ createdAt: { lt: row.createdAt } }, { createdAt: row.createdAt, id: { lt: row.id } }],
  };
}

type AuditRow = Omit<AuditEventView, 'actor' | 'details'> & { details: unknown };

/** Rows as people read them: one actor-label lookup for the whole batch. */
export async function auditEventViews(db: Db, rows: AuditRow[]): Promise<AuditEventView[]> {
  const labels = await actorLabels(
    db,
    rows.flatMap((r) => (r.actorId ? [r.actorId] : [])),
  );
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    outcome: r.outcome,
    actorKind: r.actorKind,
    actorId: r.actorId,
    actor: r.actorId ? (labels.get(r.actorId) ?? null) : null,
    businessId: r.businessId,
    details: (r.details ?? {}) as Record<string, unknown>,
    createdAt: r.createdAt,
  }));
}
