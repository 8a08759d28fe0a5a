// McpAuthGuard: guards POST, GET and DELETE /mcp. Tries the API key guard,
// the OAuth guard, then the token guard; when all reject, the caller gets the
// runbook's 401.
import { bearerToken, looksLikeApiKey } from '@flowpos/core';
import type { Authenticated } from '../../shared/authenticated.ts';
import type { McpApiKeyGuard } from './mcp-api-key.guard.ts';
import type { McpOAuthGuard } from './mcp-oauth.guard.ts';
import type { McpTokenGuard } from './mcp-token.guard.ts';

export const AUTH_REQUIRED_MESSAGE =
  'Authentication required: provide a valid MCP API key or access token';

export type AuthRefusal =
  'missing_credential' | 'malformed_credential' | 'invalid_api_key' | 'invalid_token';

export class McpAuthGuard {
  private readonly apiKeyGuard: McpApiKeyGuard;
  private readonly tokenGuard: McpTokenGuard;
  private readonly oauthGuard: McpOAuthGuard;
  /** Told why each refused credential was refused (metrics). */
  private readonly onRefusal: (reason: AuthRefusal) => void;
  constructor(
    apiKeyGuard: McpApiKeyGuard,
    tokenGuard: McpTokenGuard,
    oauthGuard: McpOAuthGuard,
    onRefusal: (reason: AuthRefusal) => void = () => {},
  ) {
    this.apiKeyGuard = apiKeyGuard;
    this.tokenGuard = tokenGuard;
    this.oauthGuard = oauthGuard;
    this.onRefusal = onRefusal;
  }

  async authenticate(authorization: string | undefined): Promise<Authenticated | null> {
    const bearer = bearerToken(authorization);
    if (!bearer || bearer.length > 8192) {
      this.onRefusal(bearer ? 'malformed_credential' : 'missing_credential');
      return null;
    }
    const auth =
      (await this.apiKeyGuard.authenticate(bearer)) ??
      (await this.oauthGuard.authenticate(bearer)) ??
      (await this.tokenGuard.authenticate(bearer));
    if (!auth) this.onRefusal(looksLikeApiKey(bearer) ? 'invalid_api_key' : 'invalid_token');
    return auth;
  }
}
