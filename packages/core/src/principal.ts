// The principal: who is calling over MCP, in which role, with which scopes,
// for which businesses, and which business is active.
import { forbidden } from './errors.ts';
import { ROLE_SCOPES, type Role, type Scope } from './roles.ts';

/** V1 API key, V2 MCP token, OAuth access token (connectors). */
export const CREDENTIAL_KINDS = ['api_key', 'token', 'oauth'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export interface Principal {
  kind: CredentialKind;
  /** Stable id of the credential: `key:<apiKeyId>`, `user:<userId>` or `grant:<oauthGrantId>`. */
  subject: string;
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
