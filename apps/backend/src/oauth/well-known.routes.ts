// OAuth discovery: RFC 9728 protected resource metadata (both the plain and
// the path-suffixed form) and RFC 8414 authorization server metadata for the
// authorization server in src/oauth. Only what works is advertised.
import { SCOPES } from '@flowpos/core';
import type { FastifyInstance } from 'fastify';
import { MCP_PATH, type Config } from '../config.ts';
import { oauthEndpoint } from './authorization-server.ts';

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
    authorization_endpoint: oauthEndpoint(config, 'authorization'),
    token_endpoint: oauthEndpoint(config, 'token'),
    registration_endpoint: oauthEndpoint(config, 'registration'),
    revocation_endpoint: oauthEndpoint(config, 'revocation'),
    scopes_supported: [...SCOPES, 'offline_access'],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
  app.get('/.well-known/oauth-protected-resource', async () => resource);
  app.get(`/.well-known/oauth-protected-resource${MCP_PATH}`, async () => resource);
  app.get('/.well-known/oauth-authorization-server', async () => authorizationServer);
}
