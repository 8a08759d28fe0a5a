// What the audit page narrows the trail by — action, actor, outcome and a date
// range — shared by the paged list and the export so both read the same rows.
// Dates are whole days in the business's time zone (UTC across businesses).
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import type { Actor } from './access/actor.ts';
import { authorize, authorizeIn } from './access/permissions.ts';
import { isoDate, resolveRange } from './pos/date-range.ts';
import { likeLiteral } from './pos/like-literal.ts';
import { businessSettings } from './pos/businesses.ts';

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;

/** Printable text only: the filters end up in URLs, file names and LIKE operands. */
const filterText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}\p{Cs}]*$/u, 'must be printable text');

export const auditFilterShape = {
  businessId: z.uuid().optional(),
  /** An action or its prefix: `key.` matches key.created, key.revoked… */
  action: filterText(100).optional(),
  /** An actor id (user, key, grant) or a user's e-mail address. */
  actor: filterText(320).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  /** Inclusive dates (or date-times) in the business's time zone. */
  from: isoDate.optional(),
  to: isoDate.optional(),
};
export const auditFilterInput = z.object(auditFilterShape);
export type AuditFilters = z.infer<typeof auditFilterInput>;

/** The same check as the audit page: a business's trail, or (operators) every business's. */
export function authorizeAudit(actor: Actor, businessId: string | undefined): void {
  if (businessId) authorizeIn(actor, businessId, 'viewAudit');
  else authorize(actor, 'viewAllAudit');
}

/** The zone dates are read in: the business's, or UTC across businesses. */
export async function auditTimeZone(db: Db, businessId: string | undefined): Promise<string> {
  return businessId ? (await businessSettings(db, businessId)).timeZone : 'UTC';
}

/** The Prisma where clause for the filters (authorization is the caller's, before this). */
export async function auditWhere(db: Db, filters: AuditFilters, timeZone: string) {
  const range = resolveRange({ from: filters.from, to: filters.to }, timeZone);
  const actorIds = filters.actor ? await resolveActorIds(db, filters.actor) : undefined;
  return {
    ...(filters.businessId ? { businessId: filters.businessId } : {}),
    ...(filters.action ? { action: { startsWith: likeLiteral(filters.action) } } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(actorIds ? { actorId: { in: actorIds } } : {}),
    ...(range.gte || range.lt ? { createdAt: range } : {}),
  };
}

// People filter by the e-mail they read in the Actor column, keys and grants by
// the ref shown on hover. A user is recorded as `user:<id>` or (the console's
// own actions) the bare id, so an e-mail matches both.
async function resolveActorIds(db: Db, actor: string): Promise<string[]> {
  if (!actor.includes('@')) return [actor];
  const user = await db.user.findUnique({
    where: { email: actor.toLowerCase() },
    select: { id: true },
  });
  // An unknown address matches nothing rather than everything.
  return user ? [user.id, `user:${user.id}`] : [];
}
