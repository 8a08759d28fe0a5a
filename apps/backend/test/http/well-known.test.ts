// OAuth discovery (RFC 9728, RFC 8414) and /healthz, as a client that follows
// the 401's WWW-Authenticate header would find them.
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/harness.ts';
import { mcpRequest, initializeBody } from '../support/raw-http.ts';

const h = useHarness('wellknown');

async function getJson(path: string) {
  const res = await fetch(`${h.server.baseUrl}${path}`);
  expect(res.headers.get('content-type')).toContain('application/json');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, json: (await res.json()) as any };
}

describe('/.well-known', () => {
  it.each(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'])(
    '%s: RFC 9728, resource = the MCP URL',
    async (path) => {
      const { status, json } = await getJson(path);
      expect(status).toBe(200);
      expect(json.resource).toBe(h.server.mcpUrl);
      expect(json.authorization_servers).toEqual([h.server.baseUrl]);
      expect(json.bearer_methods_supported).toEqual(['header']);
      expect(json.scopes_supported).toEqual([
        'pos:read',
        'pos:intents',
        'sessions:read',
        'operator',
      ]);
    },
  );

  it('/.well-known/oauth-authorization-server: RFC 8414, exactly what the authorization server does', async () => {
    const { status, json } = await getJson('/.well-known/oauth-authorization-server');
    expect(status).toBe(200);
    const base = h.server.baseUrl;
    // RFC 8414 §3.3: the issuer is the URL the metadata was fetched under, without the well-known suffix.
    expect(json).toEqual({
      issuer: base,
      authorization_endpoint: `${base}/oauth/authorize`,
      token_endpoint: `${base}/oauth/token`,
      registration_endpoint: `${base}/oauth/register`,
      revocation_endpoint: `${base}/oauth/revoke`,
      scopes_supported: ['pos:read', 'pos:intents', 'sessions:read', 'operator', 'offline_access'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint_auth_methods_supported: ['none'],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
    });
    // The provider's own discovery agrees on every endpoint it serves.
    const own = (await getJson('/oauth/.well-known/openid-configuration')).json;
    for (const key of [
      'authorization_endpoint',
      'token_endpoint',
      'registration_endpoint',
      'revocation_endpoint',
    ]) {
      expect(own[key], key).toBe(json[key]);
    }
    expect(own.issuer).toBe(base);
    expect(own.authorization_response_iss_parameter_supported).toBe(true);
    // No token exchange is advertised any more: the V2 exchange stays as the runbook documents it.
    expect(JSON.stringify(json)).not.toContain('token-exchange');
  });

  it('the 401 on /mcp points at the protected resource metadata, which leads to the authorization server', async () => {
    const res = await mcpRequest(h.server.mcpUrl, { body: initializeBody() });
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain('scope="pos:read pos:intents sessions:read operator"');
    const match = /resource_metadata="([^"]+)"/.exec(challenge);
    expect(match?.[1]).toBe(`${h.server.baseUrl}/.well-known/oauth-protected-resource`);
    const resource = (await (await fetch(match?.[1] as string)).json()) as {
      authorization_servers: string[];
    };
    const as = (await (
      await fetch(`${resource.authorization_servers[0]}/.well-known/oauth-authorization-server`)
    ).json()) as { issuer: string };
    expect(as.issuer).toBe(resource.authorization_servers[0]);
  });

  it('tokens are issued for the advertised resource and issuer', async () => {
    const sub = crypto.randomUUID();
    const { token } = await h.server.services.core.tokenSigner.sign({
      sub,
      email: 'x@test',
      role: 'merchant',
      businessIds: [],
    });
    const claims = JSON.parse(
      Buffer.from(token.split('.')[1] as string, 'base64url').toString(),
    ) as { iss: string; aud: string };
    expect(claims.iss).toBe(h.server.baseUrl);
    expect(claims.aud).toBe(h.server.mcpUrl);
  });
});

describe('/healthz', () => {
  it('reports database, Redis and the session store', async () => {
    const { status, json } = await getJson('/healthz');
    expect(status).toBe(200);
    expect(json).toEqual({
      status: 'ok',
      instanceId: h.server.services.config.instanceId,
      sessionStore: 'redis',
      database: 'ok',
      redis: 'ok',
    });
  });
});
