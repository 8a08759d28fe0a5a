// McpTokenService: POST /mcp/token exchanges a Firebase ID token for an MCP
// access token; POST /mcp/token/refresh renews one (expired by at most 7
// days), re-reading the user's memberships from the database each time.
// Which token may be refreshed is core's rule (tokens/token-refresh.ts): the
// chain's age limit, "sign out everywhere", the Firebase account's state.
// This service reads those facts and throws what the rule answers.
import {
  loadActor,
  loadActorByUserId,
  parse,
  principalOfActor,
  refreshAccountRefusal,
  refreshAgeRefusal,
  refreshUserRefusal,
  type Actor,
  type AppError,
  type AuditLog,
  type FirebaseAccounts,
  type IdTokenVerifier,
  type IssuedToken,
  type McpTokenSigner,
} from '@flowpos/core';
import type { Db } from '@flowpos/db';
import { exchangeInput, refreshInput } from '../../tokens/token-requests.ts';

/** The composition root's core parts this service uses, by their names there. */
export interface McpTokenServiceDeps {
  db: Db;
  verifier: IdTokenVerifier;
  accounts: FirebaseAccounts;
  tokenSigner: McpTokenSigner;
  audit: AuditLog;
  /** Age limit of a refresh chain from the original sign-in (MCP_TOKEN_REFRESH_MAX_AGE_SECONDS). */
  refreshMaxAgeSeconds: number;
}

const refuse = (refusal: AppError | null): void => {
  if (refusal) throw refusal;
};

export class McpTokenService {
  private readonly deps: McpTokenServiceDeps;
  constructor(deps: McpTokenServiceDeps) {
    this.deps = deps;
  }

  /** 401 on an invalid, expired or revoked Firebase ID token (or a disabled account); 403 without an active membership. */
  async exchangeFirebaseToken(body: unknown): Promise<IssuedToken> {
    const { firebaseIdToken } = parse(exchangeInput, body);
    const identity = await this.deps.verifier.verify(firebaseIdToken, { checkRevoked: true });
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
    const claims = await this.deps.tokenSigner.verifyForRefresh(token, now);
    refuse(refreshAgeRefusal(claims, now, this.deps.refreshMaxAgeSeconds));
    const user = await this.deps.db.user.findUnique({
      where: { id: claims.sub },
      select: { firebaseUid: true, tokenGeneration: true },
    });
    const userRefusal = refreshUserRefusal(claims, user);
    // A missing user is always refused: `!user` only tells TypeScript so.
    if (userRefusal || !user) throw userRefusal;
    refuse(refreshAccountRefusal(claims, await this.deps.accounts.state(user.firebaseUid)));
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
    const issued = await this.deps.tokenSigner.sign({
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
