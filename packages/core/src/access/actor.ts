// The actor: a person signed in with Firebase (console, /mcp/keys), resolved
// to a FlowPOS user and their active memberships, and their role in a
// business. What the actor may do there is permissions.ts's to say.
import type { Db } from '@flowpos/db';
import type { AuditLog } from '../audit.ts';
import { forbidden, unauthorized } from '../errors.ts';
import type { FirebaseIdentity, IdTokenVerifier } from '../auth/firebase-verifier.ts';
import type { Role } from '../roles.ts';

export interface Membership {
  businessId: string;
  businessName: string;
  role: Role;
}

export interface Actor {
  userId: string;
  email: string;
  isPlatformOperator: boolean;
  /** Bumped by "sign out everywhere": MCP tokens of an older generation are refused. */
  tokenGeneration: number;
  /** Active memberships only, by business name. */
  memberships: Membership[];
}

/** The credential of an `Authorization: Bearer <credential>` header, or null. */
export function bearerToken(authorization: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
}

/** The signed-in person behind `Authorization: Bearer <Firebase ID token>` (401 without one, 403 unknown). */
export async function actorFromAuthorization(
  db: Db,
  verifier: IdTokenVerifier,
  authorization: string | null | undefined,
  audit?: AuditLog,
): Promise<Actor> {
  const token = bearerToken(authorization);
  if (!token) throw unauthorized('Sign in required: send a Firebase ID token as a Bearer token');
  return loadActor(db, await verifier.verify(token), audit);
}

/**
 * The FlowPOS user behind a Firebase identity: by uid, or else by e-mail, but
 * only when Firebase says the address is verified (otherwise anyone could sign
 * up with a known address and take the account over). Every link is audited.
 */
export async function loadActor(
  db: Db,
  identity: FirebaseIdentity,
  audit?: AuditLog,
): Promise<Actor> {
  let user = await db.user.findUnique({ where: { firebaseUid: identity.uid } });
  if (!user && identity.email) {
    // A re-created account (or the emulator) can give a known e-mail a new uid.
    const byEmail = await db.user.findUnique({ where: { email: identity.email.toLowerCase() } });
    if (byEmail && !identity.emailVerified) {
      audit?.record({
        action: 'user.link_refused',
        outcome: 'denied',
        actorKind: 'user',
        actorId: byEmail.id,
        details: { firebaseUid: identity.uid, reason: 'email_not_verified' },
      });
      throw forbidden('Verify your e-mail address before signing in to FlowPOS');
    }
    if (byEmail) {
      user = await db.user.update({
        where: { id: byEmail.id },
        data: { firebaseUid: identity.uid },
      });
      audit?.record({
        action: 'user.linked',
        outcome: 'success',
        actorKind: 'user',
        actorId: byEmail.id,
        details: { firebaseUid: identity.uid, previousFirebaseUid: byEmail.firebaseUid },
      });
    }
  }
  if (!user) throw forbidden('This account has no access to FlowPOS');
  return loadActorByUserId(db, user.id);
}

export async function loadActorByUserId(db: Db, userId: string): Promise<Actor> {
  const user = await db.user.findUnique({
    where: { id: userId },
    include: {
      memberships: {
        where: { isActive: true },
        include: { business: { select: { id: true, name: true } } },
      },
    },
  });
  if (!user) throw forbidden('This account has no access to FlowPOS');
  const memberships = user.memberships
    .map((m) => ({ businessId: m.businessId, businessName: m.business.name, role: m.role as Role }))
    .sort((a, b) => a.businessName.localeCompare(b.businessName));
  return {
    userId: user.id,
    email: user.email,
    isPlatformOperator: user.isPlatformOperator,
    tokenGeneration: user.tokenGeneration,
    memberships,
  };
}

/**
 * The actor's role in a business, the one answer to it: operators act as
 * platform_operator everywhere, members in their active membership's role.
 */
export function roleIn(actor: Actor, businessId: string): Role | null {
  if (actor.isPlatformOperator) return 'platform_operator';
  return actor.memberships.find((m) => m.businessId === businessId)?.role ?? null;
}
