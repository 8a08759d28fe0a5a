// The principal: who is calling over MCP, in which role, with which scopes,
// for which businesses, and which business is active.
import type { Role, Scope } from './roles.ts';

export type CredentialKind = 'api_key' | 'token';

export interface Principal {
  kind: CredentialKind;
  /** Stable id of the credential's owner: `key:<apiKeyId>` or `user:<userId>`. */
  subject: string;
  role: Role;
  scopes: Scope[];
  authorizedBusinessIds: string[];
  activeBusinessId: string;
  apiKeyId?: string;
  userId?: string;
  /** Shown to people: the key prefix or the user's email. */
  label: string;
}

export function hasScope(principal: Pick<Principal, 'scopes'>, scope: Scope): boolean {
  return principal.scopes.includes(scope);
}

export function isAuthorizedFor(principal: Pick<Principal, 'authorizedBusinessIds'>, businessId: string): boolean {
  return principal.authorizedBusinessIds.includes(businessId);
}

/** Keeps the active business when still authorized, else the first authorized one. */
export function withAuthorizedBusinesses(principal: Principal, businessIds: string[]): Principal {
  const activeBusinessId = businessIds.includes(principal.activeBusinessId)
    ? principal.activeBusinessId
    : (businessIds[0] ?? '');
  return { ...principal, authorizedBusinessIds: businessIds, activeBusinessId };
}
