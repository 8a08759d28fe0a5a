// What the token endpoint refused, and why. oidc-provider answers a client
// with the bare error (`invalid_grant`: "grant request is invalid") and keeps
// the reason ("authorization code is expired", "refresh token already used",
// "PKCE verification failed"...) in the error's detail: that detail is what
// an operator needs, so every refusal is logged with it and audited under
// the grant's business when the presented code or refresh token names one.
// Only fixed messages and ids are recorded, never the code or token itself.
import { grantCredentialId, type AuditLog } from '@flowpos/core';
import type { Db } from '@flowpos/db';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';

export interface TokenRefusalDeps {
  db: Db;
  audit: AuditLog;
  logger: Logger;
}

interface ProviderError {
  error?: string;
  error_description?: string;
  error_detail?: string;
}

interface TokenParams {
  grant_type?: unknown;
  code?: unknown;
  refresh_token?: unknown;
}

/** The grant the refused request was about: from what the provider loaded, else from the credential presented. */
async function refusedGrantId(
  provider: Provider,
  ctx: KoaContextWithOIDC,
): Promise<string | undefined> {
  const { entities } = ctx.oidc;
  const known =
    entities.Grant?.jti ?? entities.RefreshToken?.grantId ?? entities.AuthorizationCode?.grantId;
  if (known) return known;
  const params = (ctx.oidc.params ?? {}) as TokenParams;
  // Expired ones too: "expired" is exactly what is being reported.
  const options = { ignoreExpiration: true };
  if (params.grant_type === 'authorization_code' && typeof params.code === 'string')
    return (await provider.AuthorizationCode.find(params.code, options))?.grantId;
  if (params.grant_type === 'refresh_token' && typeof params.refresh_token === 'string')
    return (await provider.RefreshToken.find(params.refresh_token, options))?.grantId;
  return undefined;
}

async function report(
  provider: Provider,
  deps: TokenRefusalDeps,
  ctx: KoaContextWithOIDC,
  err: ProviderError,
): Promise<void> {
  const params = (ctx.oidc.params ?? {}) as TokenParams;
  const grantId = await refusedGrantId(provider, ctx).catch(() => undefined);
  const grant = grantId
    ? await deps.db.oAuthGrant.findUnique({ where: { id: grantId } }).catch(() => null)
    : null;
  const refusal = {
    error: err.error,
    detail: err.error_detail ?? err.error_description,
    grantType: typeof params.grant_type === 'string' ? params.grant_type : undefined,
    clientId: ctx.oidc.client?.clientId,
    ...(grantId ? { grantId } : {}),
  };
  deps.logger.warn(refusal, 'oauth token request refused');
  deps.audit.record({
    businessId: grant?.businessId ?? null,
    action: 'oauth.token_refused',
    outcome: 'denied',
    actorKind: 'oauth',
    actorId: grantId ? grantCredentialId(grantId) : null,
    details: refusal,
  });
}

/** Listens to the provider's token-endpoint refusals (`grant.error`) and its server errors. */
export function reportTokenRefusals(provider: Provider, deps: TokenRefusalDeps): void {
  provider.on('grant.error', (ctx: KoaContextWithOIDC, err: ProviderError) => {
    void report(provider, deps, ctx, err).catch((error: unknown) =>
      deps.logger.error({ err: error }, 'could not report an oauth token refusal'),
    );
  });
  provider.on('server_error', (ctx: KoaContextWithOIDC, err: unknown) => {
    deps.logger.error({ err, route: ctx.oidc?.route }, 'oauth server error');
  });
}
