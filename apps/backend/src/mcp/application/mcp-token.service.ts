// McpTokenService: POST /mcp/token exchanges a Firebase ID token for an MCP
// access token; POST /mcp/token/refresh renews one (expired by at most 7
// days), re-reading the user's memberships from the database each time.
// Both refuse an account Firebase reports disabled, deleted or signed out; a
// refresh chain ends at a hard age from the original sign-in, and at the
// user's next "sign out everywhere".
import {
  loadActor,
  loadActorByUserId,
  parse,
  principalOfActor,
  unauthorized,
  forbidden,
  type Actor,
  type AuditLog,
  type FirebaseAccounts,
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

export interface McpTokenServiceDeps {
  db: Db;
  firebase: IdTokenVerifier;
  accounts: FirebaseAccounts;
  signer: McpTokenSigner;
  audit: AuditLog;
  /** Hard age of a refresh chain from the original sign-in. */
  maxSessionAgeSeconds: number;
}

export class McpTokenService {
  constructor(private readonly deps: McpTokenServiceDeps) {}

  /** 401 on an invalid, expired or revoked Firebase ID token (or a disabled account); 403 without an active membership. */
  async exchangeFirebaseToken(body: unknown): Promise<IssuedToken> {
    const { firebaseIdToken } = parse(exchangeInput, body);
    const identity = await this.deps.firebase.verify(firebaseIdToken, { checkRevoked: true });
    const actor = await loadActor(this.deps.db, identity, this.deps.audit);
    return this.issue(actor, identity.authTime, 'mcp.token_exchanged');
  }

  /**
   * 401 on a bad signature, a token expired more than 7 days ago, a chain older
   * than the hard age, a user signed out everywhere since, or a Firebase
   * account now disabled, deleted or signed out; 403 without memberships.
   */
  async refresh(body: unknown, now = Date.now()): Promise<IssuedToken> {
    const { token } = parse(refreshInput, body);
    const claims = await this.deps.signer.verifyForRefresh(token, now);
    if (now / 1000 - claims.authTime > this.deps.maxSessionAgeSeconds) {
      throw unauthorized('Sign-in too old: exchange a new Firebase ID token');
    }
    const user = await this.deps.db.user.findUnique({
      where: { id: claims.sub },
      select: { firebaseUid: true, tokenGeneration: true },
    });
    if (!user) throw forbidden('This account has no access to FlowPOS');
    if (user.tokenGeneration !== claims.generation) {
      throw unauthorized('Signed out: exchange a new Firebase ID token');
    }
    const account = await this.deps.accounts.state(user.firebaseUid);
    if (account.status === 'disabled') throw unauthorized('This Firebase account is disabled');
    if (account.status === 'deleted') throw unauthorized('This Firebase account no longer exists');
    if (
      account.tokensValidAfterSeconds !== null &&
      claims.authTime < account.tokensValidAfterSeconds
    ) {
      throw unauthorized('Signed out: exchange a new Firebase ID token');
    }
    const actor = await loadActorByUserId(this.deps.db, claims.sub);
    return this.issue(actor, claims.authTime, 'mcp.token_refreshed');
  }

  /** Signs a token for the actor's current principal and audits it as `action`. */
  private async issue(
    actor: Actor,
    authTime: number | undefined,
    action: 'mcp.token_exchanged' | 'mcp.token_refreshed',
  ): Promise<IssuedToken> {
    const principal = await principalOfActor(this.deps.db, actor);
    const issued = await this.deps.signer.sign({
      sub: actor.userId,
      email: principal.label,
      role: principal.role,
      businessIds: principal.authorizedBusinessIds,
      ...(authTime !== undefined ? { authTime } : {}),
      generation: actor.tokenGeneration,
    });
    this.deps.audit.record({
      action,
      outcome: 'success',
      actorKind: 'user',
      actorId: actor.userId,
    });
    return issued;
  }
}
