// What the console's "create key" form may offer: the key roles the actor
// may create in a business and the scopes each may hold: the same
// creatableKeyRoles/assignableKeyScopes that checkKeyRights enforces.
import type { Actor } from '../access/actor.ts';
import { authorizeIn } from '../access/permissions.ts';
import {
  creatableKeyRoles,
  assignableKeyScopes,
  ROLE_SCOPES,
  SCOPE_DESCRIPTIONS,
  type Role,
  type Scope,
} from '../roles.ts';

export interface KeyOptions {
  /** The actor's own role in the business (the default key role). */
  actorRole: Role;
  roles: Role[];
  scopesByRole: Partial<Record<Role, Scope[]>>;
  scopeDescriptions: Record<Scope, string>;
  /** Every role's default scopes (what a token of that role holds), for previews. */
  roleDefaults: Record<Role, Scope[]>;
}

export function keyOptions(actor: Actor, businessId: string): KeyOptions {
  const actorRole = authorizeIn(actor, businessId, 'manageKeys');
  const roles = [...creatableKeyRoles(actorRole)];
  const scopesByRole: Partial<Record<Role, Scope[]>> = {};
  for (const role of roles) scopesByRole[role] = assignableKeyScopes(actorRole, role);
  const roleDefaults = Object.fromEntries(
    Object.entries(ROLE_SCOPES).map(([role, scopes]) => [role, [...scopes]]),
  ) as Record<Role, Scope[]>;
  return {
    actorRole,
    roles,
    scopesByRole,
    scopeDescriptions: { ...SCOPE_DESCRIPTIONS },
    roleDefaults,
  };
}
