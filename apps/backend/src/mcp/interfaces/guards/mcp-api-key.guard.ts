// McpApiKeyGuard: the V1 credential, `Authorization: Bearer fp_mcp_<hex>`.
// Valid when the key exists, is active, is not revoked and has not expired.
import { apiKeyPrincipal, looksLikeApiKey, type ApiKeyVerifier } from '@flowpos/core';
import type { Authenticated } from '../../shared/authenticated.ts';

export class McpApiKeyGuard {
  private readonly verifier: ApiKeyVerifier;
  constructor(verifier: ApiKeyVerifier) {
    this.verifier = verifier;
  }

  async authenticate(bearer: string): Promise<Authenticated | null> {
    if (!looksLikeApiKey(bearer)) return null;
    const key = await this.verifier.verify(bearer);
    if (!key) return null;
    const principal = apiKeyPrincipal(key);
    return { principal, credential: principal.credentialId, expiresAt: key.expiresAt?.getTime() };
  }
}
