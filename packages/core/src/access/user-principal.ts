// A V2 token's principal: from the user's active memberships, re-read from the
// database (at exchange, at refresh, and when a membership changes).
import type { Db } from '@flowpos/db';
import { userCredentialId } from '../credential-ids.ts';
import { forbidden } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { ROLE_SCOPES } from '../roles.ts';
import { loadActorByUserId, type Actor } from './actor.ts';
import { businessesForActor, type ActorBusiness } from './businesses-for-actor.ts';

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
  const businesses = await businessesForActor(db, actor);
  const first = businesses[0];
  if (!first) throw forbidden('No active business membership for this user');
  const active = businesses.find((b) => b.id === activeBusinessId) ?? first;
  return userPrincipal(actor, businesses, active);
}

/** A user's role follows the active business: a merchant in one may be a developer in another. */
function userPrincipal(
  actor: Actor,
  businesses: readonly ActorBusiness[],
  active: ActorBusiness,
): Principal {
  return {
    kind: 'token',
    credentialId: userCredentialId(actor.userId),
    role: active.role,
    scopes: [...ROLE_SCOPES[active.role]],
    authorizedBusinessIds: businesses.map((b) => b.id),
    activeBusinessId: active.id,
    userId: actor.userId,
    label: actor.email,
    businessRoles: Object.fromEntries(businesses.map((b) => [b.id, b.role])),
  };
}
