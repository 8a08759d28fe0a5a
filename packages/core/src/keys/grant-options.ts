// What the console's "create key" form may offer: the key roles the actor
// may create in a business and the scopes each may hold. Derived from
// checkGrant itself so the form and the server can never disagree.
import type { Actor } from '../access/actor.ts';
import { requireMember } from '../access/actor.ts';
import { grantableRoles, SCOPE_DESCRIPTIONS, SCOPES, type Role, type Scope } from '../roles.ts';
import { checkGrant } from './api-key-service.ts';

export interface GrantOptions {
  /** The actor's own role in the business (the default key role). */
  actorRole: Role;
  roles: Role[];
  scopesByRole: Partial<Record<Role, Scope[]>>;
  scopeDescriptions: Record<Scope, string>;
}

function grants(creatorRole: Role, keyRole: Role, scope: Scope): boolean {
  try {
    checkGrant(creatorRole, keyRole, [scope]);
    return true;
  } catch {
    return false;
  }
}

export function keyGrantOptions(actor: Actor, businessId: string): GrantOptions {
  const actorRole = requireMember(actor, businessId);
  const roles = [...grantableRoles(actorRole)];
  const scopesByRole: Partial<Record<Role, Scope[]>> = {};
  for (const role of roles) scopesByRole[role] = SCOPES.filter((s) => grants(actorRole, role, s));
  return { actorRole, roles, scopesByRole, scopeDescriptions: { ...SCOPE_DESCRIPTIONS } };
}
