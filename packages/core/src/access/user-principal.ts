// A V2 token's principal: from the user's active memberships, re-read from the
// database (at exchange, at refresh, and when a membership changes).
import type { Db } from '@flowpos/db';
import { forbidden } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { ROLE_SCOPES, type Role } from '../roles.ts';
import { loadActorByUserId, type Actor } from './actor.ts';
import { userCredentialId } from '../credential-ids.ts';

export async function allBusinessIdsByName(db: Db): Promise<string[]> {
  const rows = await db.business.findMany({
    select: { id: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
  return rows.map((r) => r.id);
}

/** Throws 403 when the user has no active membership (and is no operator). */
export async function resolveUserPrincipal(
  db: Db,
  userId: string,
  activeBusinessId?: string,
): Promise<Principal> {
  return principalOfActor(db, await loadActorByUserId(db, userId), activeBusinessId);
}

/** The principal of an already loaded actor (403 without an active membership). */
export async function principalOfActor(
  db: Db,
  actor: Actor,
  activeBusinessId?: string,
): Promise<Principal> {
  const businessIds = actor.isPlatformOperator
    ? await allBusinessIdsByName(db)
    : actor.memberships.map((m) => m.businessId);
  if (businessIds.length === 0) throw forbidden('No active business membership for this user');
  return userPrincipal(actor, businessIds, activeBusinessId);
}

export function userPrincipal(
  actor: Actor,
  businessIds: string[],
  activeBusinessId?: string,
): Principal {
  const active =
    activeBusinessId && businessIds.includes(activeBusinessId)
      ? activeBusinessId
      : (businessIds[0] as string);
  const role = userRoleIn(actor, active);
  return {
    kind: 'token',
    subject: userCredentialId(actor.userId),
    role,
    scopes: [...ROLE_SCOPES[role]],
    authorizedBusinessIds: businessIds,
    activeBusinessId: active,
    userId: actor.userId,
    label: actor.email,
    businessRoles: Object.fromEntries(businessIds.map((id) => [id, userRoleIn(actor, id)])),
  };
}

/** A user's role follows the active business: a merchant in one may be a developer in another. */
export function userRoleIn(actor: Actor, businessId: string): Role {
  if (actor.isPlatformOperator) return 'platform_operator';
  return actor.memberships.find((m) => m.businessId === businessId)?.role ?? 'tenant_developer';
}
