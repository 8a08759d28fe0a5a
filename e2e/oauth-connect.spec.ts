// Connecting with the URL alone: the official SDK client discovers the
// authorization server from /mcp's 401, identifies itself (dynamic
// registration, or a Client ID Metadata Document it serves on loopback), sends
// the person through the console (Firebase sign-in, consent with the business
// and scopes) in Chromium, exchanges the code and lists tools. Then the person
// finds the app under "Connected apps" and revokes it.
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

for (const mode of ['dynamic registration', 'client ID metadata document'] as const) {
  test(`an SDK client connects with the MCP URL alone (${mode})`, async ({ page, factory }) => {
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
      const first = new StreamableHTTPClientTransport(new URL(MCP_URL), { authProvider: provider });
      await expect(
        new Client({ name: 'e2e-oauth', version: '1.0.0' }).connect(first),
      ).rejects.toThrow(UnauthorizedError);
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
      expect(callback).toMatchObject({
        state: provider.expectedState,
        iss: BACKEND_URL,
        error: null,
      });

      await first.finishAuth(callback.code as string);
      expect(provider.tokens()?.refresh_token).toBeTruthy();
      const transport = new StreamableHTTPClientTransport(new URL(MCP_URL), {
        authProvider: provider,
      });
      const client = new Client({ name: 'e2e-oauth', version: '1.0.0' });
      await client.connect(transport);
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      expect(names).toContain('list_products');
      expect(names).toContain('create_sale_intent');
      expect(names).not.toContain('list_sessions');
      expect(names).not.toContain('set_active_business');

      // The person sees the app and disconnects it; the client's next call is refused.
      await page.goto('/connected-apps');
      const row = page.getByRole('row', { name: new RegExp(name) });
      await expect(row).toContainText(business.name);
      await row.getByRole('button', { name: /Revoke/ }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
      await expect(page.getByRole('status')).toContainText('was disconnected');
      await expect(client.listTools()).rejects.toThrow();
      await client.close().catch(() => undefined);
    } finally {
      redirect.close();
      documentServer?.close();
    }
  });
}
