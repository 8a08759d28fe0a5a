// Business memberships as merchants manage them in the console: who belongs
// to a business, and turning a membership on or off. A change takes effect at
// once: every instance hears `user.changed`, and the user's live V2 sessions
// get a principal recomputed from the database (or end when no access is left).
// Turning one off ends what the person held for that business only (its
// connector grants); their access to other businesses stays.
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import type { Actor } from './actor.ts';
import { authorizeIn } from './permissions.ts';
import { resolveUserPrincipal } from './user-principal.ts';
import type { AuditLog } from '../audit.ts';
import { conflict, forbidden, isAppError, notFound } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { sessionPrincipal, type Principal } from '../principal.ts';
import type { Role } from '../roles.ts';
import type { SessionDirectory } from '../sessions/session-directory.ts';
import { endBusinessAccess } from './sign-out.ts';
import { userCredentialId } from '../credential-ids.ts';

export interface MembershipDeps {
  db: Db;
  audit: AuditLog;
  events: EventBus;
  sessions: SessionDirectory;
}

export interface MemberView {
  userId: string;
  email: string;
  displayName: string | null;
  role: Role;
  isActive: boolean;
  createdAt: Date;
}

/** A membership row with its user's e-mail and name, as the console shows it. */
export function memberView(row: {
  userId: string;
  role: string;
  isActive: boolean;
  createdAt: Date;
  user: { email: string; displayName: string | null };
}): MemberView {
  return {
    userId: row.userId,
    email: row.user.email,
    displayName: row.user.displayName,
    role: row.role as Role,
    isActive: row.isActive,
    createdAt: row.createdAt,
  };
}

export const setMemberActiveInput = z.object({
  businessId: z.uuid(),
  userId: z.uuid(),
  isActive: z.boolean(),
});
export type SetMemberActiveInput = z.infer<typeof setMemberActiveInput>;

/** Every membership of the business, active or not (so it can be turned back on). */
export async function listMembers(db: Db, actor: Actor, businessId: string): Promise<MemberView[]> {
  authorizeIn(actor, businessId, 'manageMembers');
  const rows = await db.businessUser.findMany({
    where: { businessId },
    include: { user: { select: { email: true, displayName: true } } },
  });
  return rows.map(memberView).sort((a, b) => a.email.localeCompare(b.email));
}

export async function setMemberActive(
  deps: MembershipDeps,
  actor: Actor,
  input: SetMemberActiveInput,
): Promise<MemberView> {
  authorizeIn(actor, input.businessId, 'manageMembers');
  if (input.userId === actor.userId && !input.isActive) {
    throw forbidden('You cannot deactivate your own membership');
  }
  const existing = await deps.db.businessUser.findUnique({
    where: { businessId_userId: { businessId: input.businessId, userId: input.userId } },
  });
  if (!existing) throw notFound('Member not found in this business');
  const row = await deps.db.$transaction(async (tx) => {
    if (!input.isActive && existing.isActive && existing.role === 'merchant') {
      // As for a demotion (member-changes.ts): the business keeps an active
      // merchant. The lock on its merchant rows makes a concurrent demotion
      // or deactivation wait and then count without this one.
      const merchants = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM business_user
        WHERE business_id = ${input.businessId}::uuid AND role = 'merchant' AND is_active
        FOR UPDATE`;
      if (merchants.length <= 1 && merchants.some((m) => m.id === existing.id)) {
        throw conflict(
          'A business needs at least one active merchant: make another member a merchant first',
        );
      }
    }
    return tx.businessUser.update({
      where: { id: existing.id },
      data: { isActive: input.isActive },
      include: { user: { select: { email: true, displayName: true } } },
    });
  });
  if (existing.isActive !== input.isActive) {
    // Tokens and sessions follow the memberships (re-read at once); the
    // business's connector grants end with the membership.
    if (!input.isActive) {
      await endBusinessAccess(deps, input.userId, input.businessId, 'member_deactivated');
    }
    await refreshUserSessions(deps, input.userId);
    deps.audit.record({
      businessId: input.businessId,
      action: input.isActive ? 'member.activated' : 'member.deactivated',
      outcome: 'success',
      actorKind: 'user',
      actorId: actor.userId,
      details: { userId: input.userId, email: row.user.email, role: row.role },
    });
  }
  return memberView(row);
}

/**
 * Tells every instance the user changed and rewrites the user's live sessions:
 * each keeps its active business while still authorized for it (its role
 * follows that business), and a session whose user has no access left ends.
 */
export async function refreshUserSessions(
  deps: Pick<MembershipDeps, 'db' | 'events' | 'sessions'>,
  userId: string,
): Promise<void> {
  await deps.events.publish({ type: 'user.changed', userId });
  let fresh: Principal | null;
  try {
    fresh = await resolveUserPrincipal(deps.db, userId);
  } catch (error) {
    if (isAppError(error) && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND'))
      fresh = null;
    else throw error;
  }
  // The one rule (principal.ts sessionPrincipal): no business left ends the session.
  await deps.sessions.updateForCredential(userCredentialId(userId), (current) =>
    fresh ? sessionPrincipal(current, fresh) : null,
  );
}
