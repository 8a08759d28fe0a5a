// McpAuthGuard as /mcp uses it: the API key, OAuth and token guards behind
// one answer per request (the rate limiter and the controller share it). An
// authentic credential left with no business ends its sessions everywhere.
import type { ApiKeyVerifier } from '@flowpos/core';
import type Provider from 'oidc-provider';
import { mcpUrl, type Config } from '../config.ts';
import { OncePerRequestGuard } from '../mcp/auth/once-per-request-guard.ts';
import { UserPrincipals } from '../mcp/auth/user-principals.ts';
import { McpApiKeyGuard } from '../mcp/interfaces/guards/mcp-api-key.guard.ts';
import { McpOAuthGuard } from '../mcp/interfaces/guards/mcp-oauth.guard.ts';
import { McpTokenGuard } from '../mcp/interfaces/guards/mcp-token.guard.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { CoreServices } from './core-services.ts';

export interface McpGuardParts {
  keyVerifier: ApiKeyVerifier;
  /** The OAuth authorization server, which knows its access tokens. */
  oauth: Provider;
  metrics: Metrics | undefined;
}

export function createMcpGuard(
  config: Config,
  core: CoreServices,
  { keyVerifier, oauth, metrics }: McpGuardParts,
): { guard: OncePerRequestGuard; close(): void } {
  const users = new UserPrincipals(core.db, core.events);
  // An authentic credential left with no business: core ends its sessions everywhere.
  const endSessionsOf = (credential: string) =>
    core.sessions.endForCredentialWithoutBusiness(credential);
  const guard = new OncePerRequestGuard(
    new McpApiKeyGuard(keyVerifier),
    new McpTokenGuard(core.tokenSigner, users, endSessionsOf),
    new McpOAuthGuard(oauth, core.db, mcpUrl(config), endSessionsOf),
    metrics && ((reason) => metrics.authFailure(reason)),
  );
  return { guard, close: () => users.close() };
}
