// McpTokenService: POST /mcp/token exchanges a Firebase ID token for an MCP
// access token; POST /mcp/token/refresh renews one (expired by at most 7
// days), re-reading the user's memberships from the database each time.
import {
  loadActor,
  parse,
  resolveUserPrincipal,
  type AuditLog,
  type IdTokenVerifier,
  type IssuedToken,
  type McpTokenSigner,
} from '@flowpos/core';
import type { Db } from '@flowpos/db';
import { z } from 'zod';

const exchangeInput = z.object({
  firebaseIdToken: z
    .string({ error: 'firebaseIdToken is required' })
    .min(1, 'firebaseIdToken is required'),
});
const refreshInput = z.object({
  token: z.string({ error: 'token is required' }).min(1, 'token is required'),
});

export class McpTokenService {
  constructor(
    private readonly db: Db,
    private readonly firebase: IdTokenVerifier,
    private readonly signer: McpTokenSigner,
    private readonly audit: AuditLog,
  ) {}

  /** 401 on an invalid or expired Firebase ID token; 403 without an active membership. */
  async exchangeFirebaseToken(body: unknown): Promise<IssuedToken> {
    const { firebaseIdToken } = parse(exchangeInput, body);
    const identity = await this.firebase.verify(firebaseIdToken);
    const actor = await loadActor(this.db, identity);
    const issued = await this.issue(actor.userId);
    this.audit.record({
      action: 'mcp.token_exchanged',
      outcome: 'success',
      actorKind: 'user',
      actorId: actor.userId,
    });
    return issued;
  }

  /** 401 on a bad signature or a token expired more than 7 days ago; 403 without memberships. */
  async refresh(body: unknown): Promise<IssuedToken> {
    const { token } = parse(refreshInput, body);
    const claims = await this.signer.verifyForRefresh(token);
    const issued = await this.issue(claims.sub);
    this.audit.record({
      action: 'mcp.token_refreshed',
      outcome: 'success',
      actorKind: 'user',
      actorId: claims.sub,
    });
    return issued;
  }

  private async issue(userId: string): Promise<IssuedToken> {
    const principal = await resolveUserPrincipal(this.db, userId);
    return this.signer.sign({
      sub: userId,
      email: principal.label,
      role: principal.role,
      businessIds: principal.authorizedBusinessIds,
    });
  }
}
