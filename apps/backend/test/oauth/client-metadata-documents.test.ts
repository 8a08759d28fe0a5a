// Clients identified by a Client ID Metadata Document: fetched (over plain
// HTTP on loopback when the backend itself is loopback-only), its client_id
// must equal its URL, its size is limited, and a backend other machines can
// reach never fetches from a private address.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizationServer } from '../../src/oauth/authorization-server.ts';
import { isPrivateAddress } from '../../src/oauth/client-metadata-fetch.ts';
import { createBusiness, createUser } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';
import {
  authorizeInBrowser,
  authorizeUrl,
  Browser,
  pkce,
  tokenRequest,
} from '../support/oauth-browser.ts';
import { TEST_CONSOLE_URL } from '../support/oauth-flow.ts';

const h = useHarness('oauth-cimd');
let docs: Server;
let docBase: string;
/** Documents by path; a function builds one from its own URL. */
const documents = new Map<string, (url: string) => unknown>();

beforeAll(async () => {
  docs = createServer((req, res) => {
    const build = documents.get(req.url ?? '');
    if (!build) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(build(`${docBase}${req.url}`)));
  });
  await new Promise<void>((r) => docs.listen(0, '127.0.0.1', r));
  // The client_id is an https URL; outside production a loopback one is fetched over http.
  docBase = `https://127.0.0.1:${(docs.address() as AddressInfo).port}`;
});
afterAll(async () => {
  docs?.close();
});

const redirectUri = 'http://127.0.0.1:40002/cb';
function serve(path: string, build: (url: string) => unknown): string {
  documents.set(path, build);
  return `${docBase}${path}`;
}
const doc =
  (overrides: Record<string, unknown> = {}) =>
  (url: string) => ({
    client_id: url,
    client_name: 'Document Connector',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    ...overrides,
  });

async function authorizeStatus(clientId: string) {
  const res = await new Browser().get(authorizeUrl(h.server.baseUrl, { clientId, redirectUri }));
  return {
    status: res.status,
    body: res.status === 400 ? ((await res.json()) as Record<string, string>) : null,
  };
}

describe('Client ID Metadata Documents', () => {
  it('a document client completes the flow; the consent page names it as verified by its host', async () => {
    const clientId = serve('/good.json', doc());
    const { business } = await createBusiness(h.db);
    const user = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
    });
    const { verifier, challenge } = pkce();
    const back = await authorizeInBrowser(
      h.server.baseUrl,
      TEST_CONSOLE_URL,
      new Browser(),
      authorizeUrl(h.server.baseUrl, { clientId, redirectUri, challenge }),
      await user.idToken(),
      { allow: true, businessId: business.id },
    );
    const consent = await h.db.oAuthConsent.findFirstOrThrow({ where: { clientId } });
    expect(consent).toMatchObject({ clientName: 'Document Connector', clientVerified: true });
    const tokens = await tokenRequest(h.server.baseUrl, {
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') as string,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
      resource: h.server.mcpUrl,
    });
    expect(tokens.status, JSON.stringify(tokens.json)).toBe(200);
  });

  it('refused: a document whose client_id is not its own URL', async () => {
    const clientId = serve(
      '/other.json',
      doc({ client_id: 'https://elsewhere.example/client.json' }),
    );
    const { status, body } = await authorizeStatus(clientId);
    expect(status).toBe(400);
    expect(body?.error).toBe('invalid_client_metadata');
    expect(body?.error_description).toMatch(/client_id does not match/);
  });

  it('refused: a document larger than 5 KiB', async () => {
    const clientId = serve(
      '/large.json',
      doc({ client_uri: undefined, padding: 'x'.repeat(6 * 1024) }),
    );
    const { status, body } = await authorizeStatus(clientId);
    expect(status).toBe(400);
    expect(body?.error).toBe('invalid_client');
    expect(body?.error_description).toMatch(/fetch failed/);
  });

  it('refused: a document without a client name', async () => {
    const clientId = serve('/nameless.json', doc({ client_name: undefined }));
    const { status, body } = await authorizeStatus(clientId);
    expect(status).toBe(400);
    expect(body?.error).toBe('invalid_client');
  });

  it('refused when the backend is reachable from other machines (whatever NODE_ENV): a document on a private or loopback address is never fetched', async () => {
    let fetched = 0;
    const clientId = serve('/prod.json', (url) => {
      fetched++;
      return doc()(url);
    });
    const provider = (config: Partial<typeof h.server.services.config>) =>
      createAuthorizationServer({
        config: { ...h.server.services.config, ...config },
        db: h.db,
        audit: h.server.services.core.audit,
        directory: h.server.services.core.sessions,
      });
    const exposed = provider({
      env: 'development',
      host: '0.0.0.0',
      publicBaseUrl: 'https://mcp.flowpos.test',
    });
    await expect(exposed.Client.find(clientId)).rejects.toMatchObject({
      error: 'invalid_client',
      error_description: 'client_id metadata document fetch not allowed',
    });
    const proxied = provider({ env: 'development', publicBaseUrl: 'https://mcp.flowpos.test' });
    await expect(proxied.Client.find(clientId)).rejects.toMatchObject({ error: 'invalid_client' });
    expect(fetched).toBe(0);
    // Listening and published on loopback, only this machine reaches it: the loopback document is read.
    const local = provider({ env: 'production' });
    await expect(local.Client.find(clientId)).resolves.toMatchObject({ clientId });
    expect(fetched).toBe(1);
    for (const address of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:10.0.0.1',
    ])
      expect(isPrivateAddress(address), address).toBe(true);
    expect(isPrivateAddress('93.184.216.34')).toBe(false);
  });
});
