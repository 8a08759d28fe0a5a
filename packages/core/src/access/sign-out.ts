// Signing a person out, at two reaches. "Sign out everywhere" (the person
// themself, or a platform operator): every MCP token they hold stops working
// (at refresh and on /mcp), their OAuth grants to connectors are revoked,
// their live MCP sessions end, and their Firebase sign-ins are revoked.
// "Sign out of a business" (its merchants, from its members page): a merchant
// acts only within their business, so only what belongs to it ends — the
// person's connector grants for that business and their live MCP sessions
// acting for it; their tokens keep what their memberships give (deactivating
// the membership takes the business away from them).
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import type { AuditLog } from '../audit.ts';
import type { FirebaseAccounts } from '../auth/firebase-accounts.ts';
import { forbidden, notFound } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { revokeGrantsOfUser } from '../oauth/grants.ts';
import type { SessionDirectory } from '../sessions/session-directory.ts';
import type { Actor } from './actor.ts';
import { authorizeIn, may, mayIn } from './permissions.ts';
import { userCredentialId } from '../credential-ids.ts';

export interface SignOutDeps {
  db: Db;
  audit: AuditLog;
  events: EventBus;
  sessions: SessionDirectory;
  /** Absent only where no Firebase project is reachable (the FlowPOS side still applies). */
  accounts?: FirebaseAccounts | undefined;
}

export const signOutEverywhereInput = z.object({ userId: z.uuid() });
export type SignOutEverywhereInput = z.infer<typeof signOutEverywhereInput>;

export const signOutOfBusinessInput = z.object({ businessId: z.uuid(), userId: z.uuid() });
export type SignOutOfBusinessInput = z.infer<typeof signOutOfBusinessInput>;

/**
 * The person themself or an operator signs them out everywhere. Anyone else
 * is refused: 403 when they share a business they manage (they may sign the
 * person out of it instead), else 404.
 */
export async function signOutEverywhere(
  deps: SignOutDeps,
  actor: Actor,
  input: SignOutEverywhereInput,
): Promise<{ signedOut: true }> {
  const found = await deps.db.user.findUnique({ where: { id: input.userId } });
  if (!may(actor, 'signOutAnyone') && input.userId !== actor.userId) {
    const managed = actor.memberships
      .map((m) => m.businessId)
      .filter((id) => mayIn(actor, id, 'manageMembers'));
    const shared = found
      ? await deps.db.businessUser.findFirst({
          where: { userId: input.userId, businessId: { in: managed } },
        })
      : null;
    if (!shared) throw notFound('User not found');
    throw forbidden(
      'Only the person themself or a platform operator can sign them out everywhere; sign them out of your business instead',
    );
  }
  if (!found) throw notFound('User not found');
  await signOutUser(deps, input.userId);
  deps.audit.record({
    businessId: null,
    action: 'user.signed_out_everywhere',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: { userId: input.userId, email: found.email },
  });
  return { signedOut: true };
}

/** A merchant signs a member out of their business: that business's grants and sessions end. */
export async function signOutOfBusiness(
  deps: SignOutDeps,
  actor: Actor,
  input: SignOutOfBusinessInput,
): Promise<{ signedOut: true }> {
  authorizeIn(actor, input.businessId, 'manageMembers');
  const member = await deps.db.businessUser.findUnique({
    where: { businessId_userId: { businessId: input.businessId, userId: input.userId } },
    include: { user: { select: { email: true } } },
  });
  if (!member) throw notFound('User not found');
  await endBusinessAccess(deps, input.userId, input.businessId, 'signed_out');
  deps.audit.record({
    businessId: input.businessId,
    action: 'member.signed_out',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: { userId: input.userId, email: member.user.email },
  });
  return { signedOut: true };
}

/**
 * What a person holds for one business ends: their connector grants for it
 * (tokens and sessions), and their V2 sessions acting for it.
 */
export async function endBusinessAccess(
  deps: Pick<SignOutDeps, 'db' | 'audit' | 'sessions'>,
  userId: string,
  businessId: string,
  reason: 'signed_out' | 'member_deactivated',
): Promise<void> {
  await revokeGrantsOfUser(deps, userId, reason, businessId);
  await deps.sessions.updateForCredential(userCredentialId(userId), (current) =>
    current.activeBusinessId === businessId ? null : current,
  );
}

/** No checks: bumps the user's token generation, ends their sessions, revokes their OAuth grants and Firebase sign-ins. */
export async function signOutUser(deps: SignOutDeps, userId: string): Promise<void> {
  const user = await deps.db.user.update({
    where: { id: userId },
    data: { tokenGeneration: { increment: 1 } },
    select: { firebaseUid: true },
  });
  await deps.events.publish({ type: 'user.changed', userId });
  await deps.sessions.endForCredential(userCredentialId(userId));
  await revokeGrantsOfUser(deps, userId, 'signed_out');
  await deps.accounts?.revokeSessions(user.firebaseUid);
}
