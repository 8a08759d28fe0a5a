// The MCP token signer as configured: the current secret, the previous one in
// its window, lifetime, issuer and audience. Built here for the backend and
// for `npm run diagnose`, which must verify tokens exactly as the backend does.
import { McpTokenSigner } from '@flowpos/core';
import { mcpUrl, type Config } from '../config.ts';

export function tokenSignerFor(config: Config): McpTokenSigner {
  return new McpTokenSigner({
    secret: config.tokenSecret,
    previousSecret: config.previousTokenSecret?.secret,
    previousSecretUntil: config.previousTokenSecret?.until,
    ttlSeconds: config.tokenTtlSeconds,
    issuer: config.publicBaseUrl,
    audience: mcpUrl(config),
  });
}
