// Roles and scopes: what each role may do by default, and which keys it may
// create. ("Grant" is kept for OAuth grants alone: a key's roles and scopes
// are assigned, its creation options are key options.)
import { z } from 'zod';

export const ROLES = ['merchant', 'tenant_developer', 'platform_operator'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

export const SCOPES = ['pos:read', 'pos:intents', 'sessions:read', 'operator'] as const;
export type Scope = (typeof SCOPES)[number];
export const scopeSchema = z.enum(SCOPES);

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'pos:read': 'Read the catalog, orders and sales',
  'pos:intents': 'Create and cancel sale and refund intents (a merchant approves them)',
  'sessions:read': 'See MCP sessions',
  operator: 'Platform operator tools across businesses',
};

/** Scopes a V2 token of this role carries; also the most a key of this role may hold. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  merchant: ['pos:read', 'pos:intents', 'sessions:read'],
  tenant_developer: ['pos:read', 'sessions:read'],
  platform_operator: ['pos:read', 'pos:intents', 'sessions:read', 'operator'],
};

/** Which key roles a user of `creatorRole` may create: never more than their own. */
export function creatableKeyRoles(creatorRole: Role): readonly Role[] {
  switch (creatorRole) {
    case 'platform_operator':
      return ROLES;
    case 'merchant':
      return ['merchant', 'tenant_developer'];
    case 'tenant_developer':
      return ['tenant_developer'];
  }
}

/** The scopes a key of `keyRole` created by `creatorRole` may hold: neither role's limit is exceeded. */
export function assignableKeyScopes(creatorRole: Role, keyRole: Role): Scope[] {
  return ROLE_SCOPES[keyRole].filter((s) => ROLE_SCOPES[creatorRole].includes(s));
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/**
 * "No scope named means all scopes" (OAuth: a client that asks for none of
 * ours, a token that carries none): the scopes of ours `requested` names, or
 * every one of `all` when it names none. Names that are not scopes of ours
 * (`offline_access`, another server's) count as naming nothing.
 */
export function namedScopesOrAll(
  requested: readonly string[],
  all: readonly Scope[] = SCOPES,
): Scope[] {
  const named = requested.filter(isScope);
  return named.length > 0 ? named : [...all];
}
