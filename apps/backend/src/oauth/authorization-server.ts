// The OAuth 2.1 authorization server for connectors (issuer = PUBLIC_BASE_URL),
// built on oidc-provider: clients by Client ID Metadata Document or dynamic
// registration (public clients, PKCE S256), the `resource` parameter required
// and bound as the token's audience (the MCP URL), opaque access tokens,
// refresh tokens rotated on every use (a reused one revokes the grant),
// RFC 7009 revocation and RFC 9207 `iss`. People sign in and consent in the
// console; see consent.routes.ts.
import { createHash, createHmac, createPrivateKey } from 'node:crypto';
import {
  CONSENT_PATH,
  isLoopbackHost,
  revokeOAuthGrant,
  SCOPES,
  type AuditLog,
  type GrantRevocationReason,
  type SessionDirectory,
} from '@flowpos/core';
import type { Db } from '@flowpos/db';
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { isLocalOnly, mcpUrl, type Config } from '../config.ts';
import { clientMetadataFetch, resolvesToPublicAddresses } from './client-metadata-fetch.ts';
import { INTERACTION_TTL_SECONDS, spendMetadataFetch } from './oauth-throttle.ts';
import { createPrismaAdapter } from './prisma-adapter.ts';
import { consumeCodeAfterResourceCheck, rotateAfterResourceCheck } from './refresh-resource.ts';

/** Where the provider's endpoints are mounted. */
export const OAUTH_PREFIX = '/oauth';
/** The interaction (sign-in and consent) route: the browser passes through it to the console. */
export const CONSENT_PREFIX = CONSENT_PATH;

export const OAUTH_ROUTES = {
  authorization: '/authorize',
  token: '/token',
  registration: '/register',
  revocation: '/revoke',
  jwks: '/jwks',
} as const;

export const oauthEndpoint = (
  config: Pick<Config, 'publicBaseUrl'>,
  route: keyof typeof OAUTH_ROUTES,
) => `${config.publicBaseUrl}${OAUTH_PREFIX}${OAUTH_ROUTES[route]}`;

export interface AuthorizationServerDeps {
  config: Config;
  db: Db;
  audit: AuditLog;
  directory: SessionDirectory;
}

/** Why the provider revoked a grant, from the request that made it do so. */
function revocationReason(ctx: KoaContextWithOIDC): GrantRevocationReason {
  if (ctx.oidc.route === 'revocation') return 'revocation_endpoint';
  const grantType = (ctx.oidc.params as { grant_type?: string } | undefined)?.grant_type;
  if (grantType === 'refresh_token') return 'refresh_token_reuse';
  if (grantType === 'authorization_code') return 'code_replay';
  return 'authorization_server';
}

/**
 * Loopback redirect URIs match on any port (RFC 8252) only for native
 * clients: a client whose every `http:` redirect is loopback is one. Plain
 * `http:` elsewhere is refused.
 */
function classifyRedirects(metadata: Record<string, unknown>): void {
  const uris = Array.isArray(metadata.redirect_uris) ? (metadata.redirect_uris as unknown[]) : [];
  const http = uris
    .filter((u): u is string => typeof u === 'string')
    .map((u) => URL.parse(u))
    .filter((u): u is URL => u?.protocol === 'http:');
  if (http.some((u) => !isLoopbackHost(u.hostname))) {
    throw new errors.InvalidRedirectUri('http redirect URIs must be loopback addresses');
  }
  if (http.length > 0) metadata.application_type = 'native';
}

/**
 * The provider's signing key (for anything it signs, such as ID tokens when a
 * client asks for `openid`): an Ed25519 key derived from MCP_TOKEN_SECRET, so
 * every instance holds the same one and none is generated at start.
 */
function signingKeys(secret: string) {
  const seed = createHmac('sha256', secret).update('oauth-signing-key').digest();
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const jwk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({
    format: 'jwk',
  });
  const kid = createHash('sha256').update(String(jwk.x)).digest('base64url').slice(0, 16);
  return { keys: [{ ...jwk, kid, use: 'sig', alg: 'EdDSA' }] };
}

export function createAuthorizationServer(deps: AuthorizationServerDeps): Provider {
  const { config, db } = deps;
  const resource = mcpUrl(config);
  // Only this machine can reach a loopback-only backend: loopback documents may be fetched.
  const localOnly = isLocalOnly(config);
  const grantDeps = { db, audit: deps.audit, sessions: deps.directory };
  const cookieKey = createHmac('sha256', config.tokenSecret).update('oauth-cookies').digest('hex');

  const provider = new Provider(config.publicBaseUrl, {
    adapter: createPrismaAdapter(db, async (grantId) => {
      await revokeOAuthGrant(grantDeps, grantId, 'refresh_token_reuse');
    }),
    jwks: signingKeys(config.tokenSecret),
    enabledJWA: { idTokenSigningAlgValues: ['EdDSA'] },
    clientAuthMethods: ['none'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'EdDSA',
    },
    responseTypes: ['code'],
    // Never pairwise: no sector_identifier_uri to fetch (refused in extraClientMetadata below).
    subjectTypes: ['public'],
    // Our scopes are the MCP resource's (getResourceServerInfo); only offline_access is the provider's own.
    scopes: ['offline_access'],
    claims: { openid: ['sub'] },
    cookies: { keys: [cookieKey], long: { signed: true }, short: { signed: true } },
    pkce: { required: () => true },
    routes: OAUTH_ROUTES,
    interactions: { url: (_ctx, interaction) => `${CONSENT_PREFIX}/${interaction.uid}` },
    extraClientMetadata: {
      properties: ['flowpos_redirect_class'],
      validator(_ctx, key, _value, metadata) {
        if (key !== 'flowpos_redirect_class') return;
        // Subjects are never pairwise: the URI would only make the server fetch where a client says.
        if ((metadata as { sector_identifier_uri?: unknown }).sector_identifier_uri !== undefined) {
          throw new errors.InvalidClientMetadata('sector_identifier_uri is not supported');
        }
        classifyRedirects(metadata as Record<string, unknown>);
        // Clients (the SDK among them) declare the scopes of the 401 challenge as
        // a hint. Ours are the MCP resource's, checked on each authorization
        // request and at consent, not a per-client limit: the hint is dropped.
        delete (metadata as { scope?: unknown }).scope;
      },
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true, issueRegistrationAccessToken: false },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      // Not advertised and not needed by MCP clients: off rather than an unthrottled extra endpoint.
      pushedAuthorizationRequests: { enabled: false },
      clientIdMetadataDocument: {
        enabled: true,
        ack: 'draft-02',
        allowFetch: async (ctx, clientId) => {
          await spendMetadataFetch(ctx);
          return localOnly || resolvesToPublicAddresses(clientId);
        },
        // The consent page shows the client's name: a document without one is refused.
        allowClient: async (_ctx, client) => typeof client.clientName === 'string',
      },
      resourceIndicators: {
        enabled: true,
        async defaultResource(ctx, _client, oneOf) {
          if (oneOf) return oneOf;
          if (ctx.oidc.route === 'authorization') {
            throw new errors.InvalidTarget(`the resource parameter is required (${resource})`);
          }
          return resource;
        },
        useGrantedResource: () => true,
        async getResourceServerInfo(_ctx, indicator) {
          if (indicator !== resource)
            throw new errors.InvalidTarget(`unknown resource: ${indicator}`);
          return {
            scope: SCOPES.join(' '),
            audience: resource,
            accessTokenTTL: config.oauth.accessTokenTtlSeconds,
            accessTokenFormat: 'opaque',
          };
        },
      },
    },
    fetch: clientMetadataFetch(localOnly),
    ttl: {
      AccessToken: config.oauth.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      RefreshToken: config.oauth.refreshTokenTtlSeconds,
      Grant: config.oauth.refreshTokenTtlSeconds,
      Interaction: INTERACTION_TTL_SECONDS,
      Session: 600,
    },
    rotateRefreshToken: rotateAfterResourceCheck(resource),
    // Every connector registers for refresh_token; offline_access asks for it too.
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') || code.scopes.has('offline_access'),
    expiresWithSession: async () => false,
    // Each authorization goes through consent: the person chooses the business again.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    renderError: async (ctx, out) => {
      ctx.type = 'json';
      ctx.body = { error: out.error, error_description: out.error_description };
    },
  });
  // Behind a TLS-terminating load balancer the provider must believe X-Forwarded-Proto
  // (secure cookies, endpoint URLs): only when the deployment trusts its proxy.
  provider.proxy = config.trustProxy !== false;
  consumeCodeAfterResourceCheck(provider, resource);

  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    // The provider has deleted the grant's tokens already; a failure here is
    // reported on its error channel (services.ts logs it), never left to crash the process.
    revokeOAuthGrant(grantDeps, grantId, revocationReason(ctx)).catch((error: unknown) => {
      provider.emit('server_error', ctx, error);
    });
  });
  return provider;
}
