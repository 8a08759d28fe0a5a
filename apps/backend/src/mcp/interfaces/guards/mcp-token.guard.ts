// McpTokenGuard: the V2 credential, an MCP access token (JWT) from
// POST /mcp/token. Signature, algorithm, issuer, audience and expiry are
// checked; the token must belong to the user's current sign-in generation
// (not signed out everywhere since); the principal comes from the user's
// current memberships. A genuine token whose user has no business left is
// refused, and that user's sessions end (onNoAccess).
import { userCredentialId, type McpTokenSigner } from '@flowpos/core';
import type { UserPrincipals } from '../../auth/user-principals.ts';
import type { Authenticated } from '../../shared/authenticated.ts';

export class McpTokenGuard {
  private readonly signer: McpTokenSigner;
  private readonly users: UserPrincipals;
  /** Told of an authentic credential that grants nothing now: its sessions end. */
  private readonly onNoAccess: (credential: string) => void;
  constructor(
    signer: McpTokenSigner,
    users: UserPrincipals,
    onNoAccess: (credential: string) => void = () => {},
  ) {
    this.signer = signer;
    this.users = users;
    this.onNoAccess = onNoAccess;
  }

  async authenticate(bearer: string): Promise<Authenticated | null> {
    let claims;
    try {
      claims = await this.signer.verify(bearer);
    } catch {
      return null;
    }
    const { principal, tokenGeneration } = await this.users.access(claims.sub);
    if (claims.generation !== tokenGeneration) return null;
    // A user whose last membership was deactivated holds a token for nothing.
    if (principal) return { principal, credential: principal.credentialId };
    this.onNoAccess(userCredentialId(claims.sub));
    return null;
  }
}
