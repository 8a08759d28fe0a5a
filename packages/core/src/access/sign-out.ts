// "Sign out everywhere": every MCP token the user holds stops working (at
// refresh and on /mcp), their OAuth grants to connectors are revoked, their
// live MCP sessions end, and their Firebase
// sign-ins are revoked. Merchants may do it to the members of their
// businesses, operators to anyone; removing a membership does it too.
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import type { AuditLog } from '../audit.ts';
import type { FirebaseAccounts } from '../auth/firebase-accounts.ts';
import { notFound } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { revokeGrantsOfUser } from '../oauth/grants.ts';
import type { SessionDirectory } from '../sessions/session-directory.ts';
import type { Actor } from './actor.ts';
import { authorizeIn, may } from './permissions.ts';
import { userCredentialId } from '../credential-ids.ts';

export interface SignOutDeps {
  db: Db;
  audit: AuditLog;
  events: EventBus;
  sessions: SessionDirectory;
  /** Absent only where no Firebase project is reachable (the FlowPOS side still applies). */
  accounts?: FirebaseAccounts | undefined;
}

export const signOutEverywhereInput = z.object({
  userId: z.uuid(),
  /** The business through which a merchant manages this member (operators may omit it). */
  businessId: z.uuid().optional(),
});
export type SignOutEverywhereInput = z.infer<typeof signOutEverywhereInput>;

/** Checks the actor may sign the user out, then does it. 404 for a user the actor cannot see. */
export async function signOutEverywhere(
  deps: SignOutDeps,
  actor: Actor,
  input: SignOutEverywhereInput,
): Promise<{ signedOut: true }> {
  if (!may(actor, 'signOutAnyone') && input.userId !== actor.userId) {
    if (!input.businessId) throw notFound('User not found');
    authorizeIn(actor, input.businessId, 'manageMembers');
    const member = await deps.db.businessUser.findUnique({
      where: { businessId_userId: { businessId: input.businessId, userId: input.userId } },
    });
    if (!member) throw notFound('User not found');
  }
  const found = await deps.db.user.findUnique({ where: { id: input.userId } });
  if (!found) throw notFound('User not found');
  await signOutUser(deps, input.userId);
  deps.audit.record({
    businessId: input.businessId ?? null,
    action: 'user.signed_out_everywhere',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: { userId: input.userId, email: found.email },
  });
  return { signedOut: true };
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
