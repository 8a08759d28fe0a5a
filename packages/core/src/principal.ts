// The principal: who is calling over MCP, in which role, with which scopes,
// for which businesses, and which business is active.
import { forbidden } from './errors.ts';
import { ROLE_SCOPES, type Role, type Scope } from './roles.ts';
import { samePolicy, type ToolPolicy } from './tools/tool-policy.ts';

import type { CredentialKind } from './credential-kinds.ts';

export interface Principal {
  kind: CredentialKind;
  /** Stable id of the credential: `key:<apiKeyId>`, `user:<userId>` or `grant:<oauthGrantId>`. */
  credentialId: string;
  role: Role;
  scopes: Scope[];
  authorizedBusinessIds: string[];
  activeBusinessId: string;
  apiKeyId?: string;
  userId?: string;
  /** OAuth principals: the grant the access token belongs to. */
  grantId?: string;
  /** Shown to people: the key prefix or the user's email. */
  label: string;
  /** Token principals: the user's role in each business (the role follows the active one). */
  businessRoles?: Record<string, Role>;
  /** Keys and OAuth grants: the tools the credential is limited to (absent: all its rights allow). */
  toolPolicy?: ToolPolicy;
}

export function hasScope(principal: Pick<Principal, 'scopes'>, scope: Scope): boolean {
  return principal.scopes.includes(scope);
}

export function isAuthorizedFor(
  principal: Pick<Principal, 'authorizedBusinessIds'>,
  businessId: string,
): boolean {
  return principal.authorizedBusinessIds.includes(businessId);
}

/** The rule behind set_active_business: only an authorized business; a user's role follows it. */
export function switchActiveBusiness(principal: Principal, businessId: string): Principal {
  if (!isAuthorizedFor(principal, businessId)) {
    throw forbidden('This business is not one you are authorized for');
  }
  const role = principal.businessRoles?.[businessId];
  if (principal.kind === 'token' && role && role !== principal.role) {
    return { ...principal, activeBusinessId: businessId, role, scopes: [...ROLE_SCOPES[role]] };
  }
  return { ...principal, activeBusinessId: businessId };
}

/**
 * A sessionless client's principal: the credential's own, with the business it
 * last chose (if it is still authorized; otherwise the default stands).
 */
export function withRememberedBusiness(principal: Principal, businessId: string | null): Principal {
  if (!businessId || businessId === principal.activeBusinessId) return principal;
  if (!isAuthorizedFor(principal, businessId)) return principal;
  return switchActiveBusiness(principal, businessId);
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

const roleEntries = (p: Principal): string[] =>
  Object.entries(p.businessRoles ?? {}).map(([business, role]) => `${business}=${role}`);

/** Whether two principals of one credential grant the same: role, scopes, businesses, the active one, tool policy. */
export function sameRights(a: Principal, b: Principal): boolean {
  return (
    a.role === b.role &&
    a.activeBusinessId === b.activeBusinessId &&
    sameSet(a.scopes, b.scopes) &&
    sameSet(a.authorizedBusinessIds, b.authorizedBusinessIds) &&
    sameSet(roleEntries(a), roleEntries(b)) &&
    samePolicy(a.toolPolicy, b.toolPolicy)
  );
}

/**
 * A session's principal held to what its credential grants now (`current`):
 * the stored principal itself when nothing changed; otherwise the credential's
 * current rights, keeping the session's active business while it is still
 * authorized (else the credential's default). Null when the credential grants
 * no business any more: the session must end.
 */
export function sessionPrincipal(stored: Principal, current: Principal): Principal | null {
  if (current.authorizedBusinessIds.length === 0) return null;
  const next = withRememberedBusiness(current, stored.activeBusinessId);
  return sameRights(stored, next) ? stored : next;
}
