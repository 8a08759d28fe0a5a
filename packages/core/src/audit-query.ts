// Reading the audit trail: merchants see their business's events, operators
// every event. Newest first, keyset-paginated on (createdAt, id) so pages stay
// stable while events are being written.
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import type { Actor } from './access/actor.ts';
import { authorize, authorizeIn } from './access/permissions.ts';
import { actorLabels, type ActorLabel } from './access/actor-labels.ts';
import { badRequest } from './errors.ts';

export const auditListInput = z.object({
  businessId: z.uuid().optional(),
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
  input: { businessId?: string | undefined; cursor?: string | null | undefined; limit: number },
): Promise<AuditPage> {
  if (input.businessId) authorizeIn(actor, input.businessId, 'viewAudit');
  else authorize(actor, 'viewAllAudit');
  const after = input.cursor ? decodeAuditCursor(input.cursor) : null;
  const rows = await db.auditEvent.findMany({
    where: {
      ...(input.businessId ? { businessId: input.businessId } : {}),
      ...(after
        ? {
            OR: [
              { createdAt: { lt: after.createdAt } },
              { createdAt: after.createdAt, id: { lt: after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  const labels = await actorLabels(
    db,
    page.flatMap((r) => (r.actorId ? [r.actorId] : [])),
  );
  return {
    items: page.map((r) => ({
      id: r.id,
      action: r.action,
      outcome: r.outcome,
      actorKind: r.actorKind,
      actorId: r.actorId,
      actor: r.actorId ? (labels.get(r.actorId) ?? null) : null,
      businessId: r.businessId,
      details: (r.details ?? {}) as Record<string, unknown>,
      createdAt: r.createdAt,
    })),
    nextCursor: rows.length > input.limit && last ? encodeAuditCursor(last) : null,
  };
}
