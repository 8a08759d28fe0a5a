// Throttling (http/rate-limits.ts, the OAuth endpoints) and merchants'
// per-credential limits.
import { z } from 'zod';
import type { Env } from './schema.ts';

export const limitsEnv = {
  RATE_LIMIT_ENABLED: z.enum(['true', 'false']).default('true'),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_AUTH_FAILURES: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_TOKEN: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_USER: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_MCP: z.coerce.number().int().min(1).default(12_000),
  CREDENTIAL_LIMITS_ENABLED: z.enum(['true', 'false']).default('true'),
  RATE_LIMIT_DIAGNOSE: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_OAUTH_AUTHORIZE: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_OAUTH_TOKEN: z.coerce.number().int().min(1).default(300),
  RATE_LIMIT_OAUTH_METADATA_FETCHES: z.coerce.number().int().min(1).default(20),
};

export interface LimitsConfig {
  /** Per window: 401s on /mcp per address, /mcp/token(+refresh) per address, /mcp/keys + tRPC per user, /mcp per credential. */
  rateLimit: {
    enabled: boolean;
    windowMs: number;
    authFailures: number;
    token: number;
    user: number;
    mcp: number;
    /** Per user: diagnoses (tRPC diagnose.run), on top of the user budget: each may look a secret up. */
    diagnose: number;
    /** Per address: /oauth/authorize (and its resume) and the consent routes. */
    oauthAuthorize: number;
    /** Per address: /oauth/token, /oauth/revoke and the provider's other server endpoints. */
    oauthToken: number;
    /** Per address: Client ID Metadata Documents fetched on its requests' behalf. */
    oauthMetadataFetches: number;
  };
  /**
   * Merchants' limits per credential: calls per minute (overriding `rateLimit.mcp`)
   * and daily caps on proposals. Off: every credential gets `rateLimit.mcp`, no caps.
   */
  credentialLimits: boolean;
}

export function limitsConfig(env: Env): LimitsConfig {
  return {
    rateLimit: {
      enabled: env.RATE_LIMIT_ENABLED === 'true',
      windowMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000,
      authFailures: env.RATE_LIMIT_AUTH_FAILURES,
      token: env.RATE_LIMIT_TOKEN,
      user: env.RATE_LIMIT_USER,
      mcp: env.RATE_LIMIT_MCP,
      diagnose: env.RATE_LIMIT_DIAGNOSE,
      oauthAuthorize: env.RATE_LIMIT_OAUTH_AUTHORIZE,
      oauthToken: env.RATE_LIMIT_OAUTH_TOKEN,
      oauthMetadataFetches: env.RATE_LIMIT_OAUTH_METADATA_FETCHES,
    },
    credentialLimits: env.CREDENTIAL_LIMITS_ENABLED === 'true',
  };
}
