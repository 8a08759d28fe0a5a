// An OAuth access token's principal: the same shape as a V2 token's, narrowed
// to the grant's business and to the scopes the person consented to that the
// role still allows. Re-read from the database: a membership removed or a role
// lowered takes effect on the next request.
import type { Db } from '@flowpos/db';
import { loadActorByUserId, roleIn } from '../access/actor.ts';
import { isAppError } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { ROLE_SCOPES, isScope, namedScopesOrAll, type Scope } from '../roles.ts';
import { grantCredentialId } from '../credential-ids.ts';
import { principalPolicy, toolPolicyOf } from '../tools/tool-policy.ts';

export interface ActiveGrant {
  id: string;
  userId: string;
  businessId: string;
  scopes: string[];
  toolPolicy: string;
  toolPolicyTools: string[];
}

/** The grant when it exists and is not revoked. */
export async function findActiveGrant(db: Db, grantId: string): Promise<ActiveGrant | null> {
  const grant = await db.oAuthGrant.findUnique({
    where: { id: grantId },
    select: {
      id: true,
      userId: true,
      businessId: true,
      scopes: true,
      toolPolicy: true,
      toolPolicyTools: true,
      revokedAt: true,
    },
  });
  return grant && !grant.revokedAt ? grant : null;
}

/**
 * The principal for a grant and the scopes its token carries, or null when the
 * person has no access to the grant's business any more.
 */
export async function grantPrincipal(
  db: Db,
  grant: ActiveGrant,
  tokenScopes: readonly string[],
): Promise<Principal | null> {
  let actor;
  try {
    actor = await loadActorByUserId(db, grant.userId);
  } catch (error) {
    if (isAppError(error)) return null;
    throw error;
  }
  const role = roleIn(actor, grant.businessId);
  if (!role) return null;
  const granted = grant.scopes.filter(isScope);
  // A token that names none of our scopes (its client asked for none) carries the grant's.
  const carried = namedScopesOrAll(tokenScopes, granted);
  const scopes = ROLE_SCOPES[role].filter((s) => granted.includes(s) && carried.includes(s));
  return {
    kind: 'oauth',
    credentialId: grantCredentialId(grant.id),
    role,
    scopes,
    authorizedBusinessIds: [grant.businessId],
    activeBusinessId: grant.businessId,
    userId: actor.userId,
    grantId: grant.id,
    label: actor.email,
    ...principalPolicy(toolPolicyOf(grant)),
  };
}

/** The scopes a person of `role` may consent to, from those a client asked for. */
export function consentableScopes(role: Principal['role'], requested: readonly string[]): Scope[] {
  return requested.filter(isScope).filter((s) => ROLE_SCOPES[role].includes(s));
}
