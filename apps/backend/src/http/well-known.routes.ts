// OAuth discovery: RFC 9728 protected resource metadata (both the plain and
// the path-suffixed form) and RFC 8414 authorization server metadata. Tokens
// come from exchanging a Firebase ID token at /mcp/token.
import { SCOPES } from '@flowpos/core';
import type { FastifyInstance } from 'fastify';
import { MCP_PATH, type Config } from '../config.ts';

export function registerWellKnownRoutes(app: FastifyInstance, config: Config): void {
  const base = config.publicBaseUrl;
  const resource = {
    resource: `${base}${MCP_PATH}`,
    authorization_servers: [base],
    bearer_methods_supported: ['header'],
    scopes_supported: [...SCOPES],
    resource_name: 'FlowPOS MCP',
    resource_documentation: `${base}/healthz`,
  };
  const authorizationServer = {
    issuer: base,
    token_endpoint: `${base}/mcp/token`,
    // A Firebase ID token is exchanged for an MCP access token (RFC 8693 style).
    grant_types_supported: ['urn:ietf:params:oauth:grant-type:token-exchange'],
    token_endpoint_auth_methods_supported: ['none'],
    response_types_supported: [],
    scopes_supported: [...SCOPES],
    flowpos_token_refresh_endpoint: `${base}/mcp/token/refresh`,
  };
  app.get('/.well-known/oauth-protected-resource', async () => resource);
  app.get(`/.well-known/oauth-protected-resource${MCP_PATH}`, async () => resource);
  app.get('/.well-known/oauth-authorization-server', async () => authorizationServer);
}
