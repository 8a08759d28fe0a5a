// Connecting with the URL alone: the official SDK client discovers the
// authorization server from /mcp's 401, identifies itself (dynamic
// registration, or a Client ID Metadata Document it serves on loopback), sends
// the person through the console (Firebase sign-in, consent with the business
// and scopes) in Chromium, exchanges the code and lists tools. Then the person
// finds the app under "Connected apps" and revokes it. With the SDK 1 client
// (2025-11-25 sessions) and the SDK 2 client (2026-07-28, per request).
import {
  Client as V2Client,
  StreamableHTTPClientTransport as V2Transport,
  UnauthorizedError as V2UnauthorizedError,
  type OAuthClientProvider as V2OAuthClientProvider,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect, test } from './fixtures.ts';
import { BACKEND_URL, MCP_URL } from './support/env.ts';
import {
  LoopbackRedirect,
  MetadataDocumentServer,
  TestOAuthProvider,
} from './support/oauth-client.ts';

interface Connector {
  /** Tries to connect; the provider records where the browser must go. */
  start(): Promise<void>;
  finish(callback: { code: string; iss: string }): Promise<void>;
  listToolNames(): Promise<string[]>;
  whoami(): Promise<unknown>;
  close(): Promise<void>;
}

/** What both SDKs' clients answer alike. */
interface ToolClient {
  listTools(): Promise<{ tools: { name: string }[] }>;
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

/** A connector's calls once connected, on the client it holds at the time (none yet: nothing). */
function connectedCalls(
  client: () => ToolClient | undefined,
): Pick<Connector, 'listToolNames' | 'whoami' | 'close'> {
  return {
    async listToolNames() {
      return ((await client()?.listTools())?.tools ?? []).map((t) => t.name);
    },
    async whoami() {
      return client()?.callTool({ name: 'whoami', arguments: {} });
    },
    async close() {
      await client()
        ?.close()
        .catch(() => undefined);
    },
  };
}

/** The SDK 1 client: 2025-11-25, a session per connection. */
function sdk1(provider: TestOAuthProvider): Connector {
  const first = new StreamableHTTPClientTransport(new URL(MCP_URL), { authProvider: provider });
  let client: Client | undefined;
  return {
    async start() {
      await expect(
        new Client({ name: 'e2e-oauth', version: '1.0.0' }).connect(first),
      ).rejects.toThrow(UnauthorizedError);
    },
    async finish({ code }) {
      await first.finishAuth(code);
      client = new Client({ name: 'e2e-oauth', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(MCP_URL), { authProvider: provider }),
      );
    },
    ...connectedCalls(() => client),
  };
}

/** The SDK 2 client: 2026-07-28, each request on its own; it checks `iss` (RFC 9207). */
function sdk2(provider: TestOAuthProvider): Connector {
  // The same provider object: SDK 2's interface is SDK 1's plus optional members.
  const authProvider = provider as unknown as V2OAuthClientProvider;
  const first = new V2Transport(new URL(MCP_URL), { authProvider });
  const options = { versionNegotiation: { mode: 'auto' as const } };
  let client: V2Client | undefined;
  return {
    async start() {
      await expect(
        new V2Client({ name: 'e2e-oauth-2', version: '2.0.0' }, options).connect(first),
      ).rejects.toThrow(V2UnauthorizedError);
    },
    async finish({ code, iss }) {
      await first.finishAuth(new URLSearchParams({ code, iss }));
      client = new V2Client({ name: 'e2e-oauth-2', version: '2.0.0' }, options);
      await client.connect(new V2Transport(new URL(MCP_URL), { authProvider }));
    },
    ...connectedCalls(() => client),
  };
}

const variants = [
  { sdk: sdk1, label: 'SDK 1', mode: 'dynamic registration' },
  { sdk: sdk1, label: 'SDK 1', mode: 'client ID metadata document' },
  { sdk: sdk2, label: 'SDK 2', mode: 'client ID metadata document' },
] as const;

for (const { sdk, label, mode } of variants) {
  test(`the ${label} client connects with the MCP URL alone (${mode})`, async ({
    page,
    factory,
  }) => {
    const business = await factory.business('OAuth Cafe');
    const other = await factory.business('Other Cafe');
    const user = await factory.user({
      label: 'oauth',
      memberships: [
        { business, role: 'merchant' },
        { business: other, role: 'merchant' },
      ],
    });
    const redirect = await new LoopbackRedirect().listen();
    const documentServer =
      mode === 'client ID metadata document'
        ? await new MetadataDocumentServer().listen((clientId) => ({
            client_id: clientId,
            client_name: 'E2E Document Connector',
            redirect_uris: [redirect.url],
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            token_endpoint_auth_method: 'none',
          }))
        : undefined;
    try {
      const provider = new TestOAuthProvider(redirect.url, documentServer?.clientId);
      const connector = sdk(provider);
      await connector.start();
      const authorizationUrl = provider.authorizationUrl;
      expect(authorizationUrl?.origin).toBe(BACKEND_URL);
      expect(authorizationUrl?.searchParams.get('resource')).toBe(MCP_URL);
      expect(authorizationUrl?.searchParams.get('code_challenge_method')).toBe('S256');
      const clientId = authorizationUrl?.searchParams.get('client_id');
      if (documentServer) expect(clientId).toBe(documentServer.clientId);
      else expect(clientId).not.toMatch(/^https:/);

      // The person's browser: sign in on the console, then consent.
      await page.goto(String(authorizationUrl));
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const name = documentServer ? 'E2E Document Connector' : 'E2E Connector';
      await expect(
        page.getByRole('heading', { name: `Allow ${name} to use FlowPOS?` }),
      ).toBeVisible();
      await expect(
        page.getByText(
          documentServer ? 'Published by 127.0.0.1' : 'Unverified: the app named itself',
        ),
      ).toBeVisible();
      await page
        .getByLabel('Business', { exact: true })
        .selectOption({ label: `${business.name} (Merchant)` });
      // A merchant cannot grant operator tools: shown, not selectable.
      await expect(page.getByRole('checkbox', { name: /operator/ })).toBeDisabled();
      await page.getByRole('checkbox', { name: /sessions:read/ }).uncheck();
      await page.getByRole('button', { name: 'Allow' }).click();
      const callback = await redirect.callback;
      // The browser lands on the app's page before the person moves on.
      await expect(page.getByRole('heading', { name: 'You can close this window' })).toBeVisible();
      expect(callback).toMatchObject({
        state: provider.expectedState,
        iss: BACKEND_URL,
        error: null,
      });

      await connector.finish({ code: callback.code as string, iss: callback.iss as string });
      expect(provider.tokens()?.refresh_token).toBeTruthy();
      const names = await connector.listToolNames();
      expect(names).toContain('list_products');
      expect(names).toContain('create_sale_intent');
      expect(names).not.toContain('list_sessions');
      expect(names).not.toContain('set_active_business');
      const me = JSON.stringify(await connector.whoami());
      expect(me).toContain(business.id);
      expect(me).toContain(user.email);

      // The person sees the app and disconnects it; the client's next call is refused.
      await page.goto('/connected-apps');
      const row = page.getByRole('row', { name: new RegExp(name) });
      await expect(row).toContainText(business.name);
      await row.getByRole('button', { name: /Revoke/ }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
      await expect(page.getByRole('status')).toContainText('was disconnected');
      // (A tool call: SDK 2 may answer tools/list from its cache, as the server's hints allow.)
      await expect(connector.whoami()).rejects.toThrow();
      await connector.close();
    } finally {
      redirect.close();
      documentServer?.close();
    }
  });
}
