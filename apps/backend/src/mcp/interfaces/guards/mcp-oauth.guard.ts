// McpOAuthGuard: an OAuth access token from the authorization server
// (src/oauth). Valid when the provider knows it (not expired, not revoked),
// its audience is the MCP URL and its grant is live. The principal is the
// person's in the grant's business: role from the membership, scopes the
// consented ones the role still allows. Sessions are bound to the grant.
import { findActiveGrant, grantCredentialId, grantPrincipal } from '@flowpos/core';
import type { Db } from '@flowpos/db';
import type Provider from 'oidc-provider';
import type { Authenticated } from '../../shared/authenticated.ts';

/** Opaque access tokens are 43 base64url characters; JWTs and API keys look otherwise. */
const OPAQUE_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const LAST_USED_EVERY_MS = 60_000;

export class McpOAuthGuard {
  private readonly lastUsedWritten = new Map<string, number>();

  private readonly provider: Provider;
  private readonly db: Db;
  private readonly resource: string;
  /** Told of an authentic credential that grants nothing now: its sessions end. */
  private readonly onNoAccess: (credential: string) => void;
  constructor(
    provider: Provider,
    db: Db,
    resource: string,
    onNoAccess: (credential: string) => void = () => {},
  ) {
    this.provider = provider;
    this.db = db;
    this.resource = resource;
    this.onNoAccess = onNoAccess;
  }

  async authenticate(bearer: string): Promise<Authenticated | null> {
    if (!OPAQUE_TOKEN.test(bearer)) return null;
    const token = await this.provider.AccessToken.find(bearer);
    if (!token || token.isExpired || !token.grantId) return null;
    const audience = (token as { aud?: string | string[] }).aud;
    if (
      audience !== this.resource &&
      !(Array.isArray(audience) && audience.includes(this.resource))
    )
      return null;
    const grant = await findActiveGrant(this.db, token.grantId);
    if (!grant || grant.userId !== token.accountId) return null;
    const principal = await grantPrincipal(this.db, grant, [...token.scopes]);
    if (!principal) {
      this.onNoAccess(grantCredentialId(grant.id));
      return null;
    }
    this.noteUse(grant.id);
    return { principal, credential: principal.credentialId };
  }

  /** Last use, for the console: written at most once a minute per grant and instance. */
  private noteUse(grantId: string, now = Date.now()): void {
    if ((this.lastUsedWritten.get(grantId) ?? 0) > now - LAST_USED_EVERY_MS) return;
    if (this.lastUsedWritten.size > 10_000) this.lastUsedWritten.clear();
    this.lastUsedWritten.set(grantId, now);
    void this.db.oAuthGrant
      .update({ where: { id: grantId }, data: { lastUsedAt: new Date(now) } })
      .catch(() => undefined);
  }
}
