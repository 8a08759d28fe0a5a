// An MCP client that connects with the URL alone, as claude.ai, ChatGPT or VS
// Code do: the official SDK's OAuthClientProvider (discovery, dynamic
// registration or a Client ID Metadata Document, PKCE, code exchange), a
// loopback redirect listener for the callback, and the person's browser
// (Playwright) for sign-in and consent.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  OAuthClientProvider,
  OAuthDiscoveryState,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

export interface Callback {
  code: string | null;
  state: string | null;
  iss: string | null;
  error: string | null;
}

/** http://127.0.0.1:<random>/callback: receives the authorization response once. */
export class LoopbackRedirect {
  private server: Server | undefined;
  private resolveCallback!: (value: Callback) => void;
  readonly callback = new Promise<Callback>((r) => (this.resolveCallback = r));
  url = '';

  async listen(): Promise<this> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/callback') return res.writeHead(404).end();
      const p = url.searchParams;
      this.resolveCallback({
        code: p.get('code'),
        state: p.get('state'),
        iss: p.get('iss'),
        error: p.get('error'),
      });
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>You can close this window</h1>');
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
    return this;
  }

  close(): void {
    this.server?.close();
  }
}

/** Serves one Client ID Metadata Document on loopback; its client_id is its own (https) URL. */
export class MetadataDocumentServer {
  private server: Server | undefined;
  clientId = '';

  async listen(metadata: (clientId: string) => Record<string, unknown>): Promise<this> {
    this.server = createServer((req, res) => {
      if (req.url !== '/client.json') return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(metadata(this.clientId)));
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    // Outside production the backend fetches a loopback https:// document over http.
    this.clientId = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}/client.json`;
    return this;
  }

  close(): void {
    this.server?.close();
  }
}

export class TestOAuthProvider implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  private info: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = '';
  private discovery: OAuthDiscoveryState | undefined;
  readonly expectedState = randomBytes(8).toString('hex');

  private readonly redirect: string;
  readonly clientMetadataUrl?: string;
  constructor(redirect: string, clientMetadataUrl?: string) {
    this.redirect = redirect;
    this.clientMetadataUrl = clientMetadataUrl;
  }

  get redirectUrl() {
    return this.redirect;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'E2E Connector',
      redirect_uris: [this.redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state() {
    return this.expectedState;
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  // Kept across the redirect like the verifier: SDK 2 checks on the callback leg
  // that the code goes back to the authorization server it was sent to.
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
  /** What a real client does when the server says its credentials are no longer valid. */
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'client') this.info = undefined;
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
    if (scope === 'all' || scope === 'verifier') this.verifier = '';
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
  }
}
