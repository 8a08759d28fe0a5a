// Tool policy of an OAuth grant: the tools the person leaves ticked on the
// consent page become the grant's policy (none ticked is refused), its tokens
// see exactly those on both eras, and a merchant's later edit reaches its live
// 2025 session and 2026 listen stream as tools/list_changed. On PostgreSQL +
// Redis and on the embedded default.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { createUser } from '../support/fixtures.ts';
import { DATABASE_KINDS, useHarnessOn } from '../support/harness.ts';
import { routingFetch } from '../support/http-routing.ts';
import { connectClient, connectModernClient } from '../support/mcp-client.ts';
import { Browser, trpc } from '../support/oauth-browser.ts';
import { authorizedTokens, pendingConsent } from '../support/oauth-flow.ts';
import { waitFor } from '../support/poll.ts';

const TICKED = ['whoami', 'list_products', 'create_sale_intent'];

describe.each(DATABASE_KINDS)('tool policy of a connected app on %s', (kind) => {
  const h = useHarnessOn(kind, `grantpolicy-${kind}`);

  it('the ticked tools are all its tokens see; a merchant edit reaches live clients', async () => {
    const auth = await authorizedTokens(h, { decision: { tools: [...TICKED, 'whoami'] } });
    const grant = await h.db.oAuthGrant.findFirstOrThrow({ where: { userId: auth.user.id } });
    expect(grant).toMatchObject({ toolPolicy: 'tools', toolPolicyTools: TICKED });

    const port = Number(new URL(h.server.baseUrl).port);
    const routing = routingFetch(() => port);
    const legacy = await connectClient(h.server.mcpUrl, auth.accessToken, { fetch: routing.fetch });
    const modern = await connectModernClient(h.server.mcpUrl, auth.accessToken);
    const notes = { v1: 0, v2: 0 };
    legacy.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void notes.v1++);
    modern.setNotificationHandler('notifications/tools/list_changed', () => void notes.v2++);
    const names = async () => ({
      v1: (await legacy.client.listTools()).tools.map((t) => t.name).sort(),
      v2: (await modern.listTools()).tools.map((t) => t.name).sort(),
    });
    try {
      expect(await names()).toEqual({ v1: [...TICKED].sort(), v2: [...TICKED].sort() });
      const outside = await modern.callTool({ name: 'list_orders', arguments: {} }).then(
        () => 'answered',
        (error: Error) => error.message,
      );
      expect(outside).toMatch(/Tool list_orders not found/);

      // The console's preview of the app shows the same list.
      const idToken = await auth.user.idToken();
      const preview = await trpc<{ tools: { name: string; visible: boolean }[] }>(
        h.server.baseUrl,
        idToken,
        'tools.preview',
        { mode: 'grant', grantId: grant.id },
        'query',
      );
      expect(preview.status, preview.message).toBe(200);
      const previewed = preview.data.tools.filter((t) => t.visible).map((t) => t.name);
      expect(previewed.sort()).toEqual([...TICKED].sort());

      await routing.streamOpened;
      await modern.listen({ toolsListChanged: true });
      const started = performance.now();
      const edited = await trpc<{ toolPolicy: unknown }>(
        h.server.baseUrl,
        idToken,
        'toolPolicies.updateGrant',
        { grantId: grant.id, toolPolicy: { kind: 'read_only' } },
        'mutation',
      );
      expect(edited.status, edited.message).toBe(200);
      expect(edited.data.toolPolicy).toEqual({ kind: 'read_only' });
      await waitFor(() => notes.v1 > 0 && notes.v2 > 0, {
        what: 'tools/list_changed on the session and the listen stream',
      });
      console.log(
        `[grant policy ${kind}] list_changed within ${(performance.now() - started).toFixed(0)} ms`,
      );
      const now = await names();
      expect(now.v1).toEqual(now.v2);
      expect(now.v1).toContain('list_orders');
      expect(now.v1).not.toContain('create_sale_intent');
      const app = await trpc<{ toolPolicy: unknown; canManage: boolean }>(
        h.server.baseUrl,
        idToken,
        'oauth.connectedApp',
        { grantId: grant.id },
        'query',
      );
      expect(app.data).toMatchObject({ toolPolicy: { kind: 'read_only' }, canManage: true });

      // Someone with no say over the app cannot see or change it.
      const stranger = await createUser(h.db, { label: 'stranger' });
      const refused = await trpc(
        h.server.baseUrl,
        await stranger.idToken(),
        'toolPolicies.updateGrant',
        { grantId: grant.id, toolPolicy: { kind: 'all' } },
        'mutation',
      );
      expect(refused.status).toBe(404);
      const unknown = await trpc(
        h.server.baseUrl,
        idToken,
        'toolPolicies.updateGrant',
        { grantId: grant.id, toolPolicy: { kind: 'tools', tools: ['nope'] } },
        'mutation',
      );
      expect(unknown).toMatchObject({ status: 400, message: 'Unknown tool: nope' });
    } finally {
      await legacy.close();
      await modern.close();
    }
  });

  it('the consent page lists the tools to untick; unticking every one is refused', async () => {
    const first = await authorizedTokens(h);
    const uid = await pendingConsent(h, new Browser());
    const idToken = await first.user.idToken();
    const view = await trpc<{ businesses: { id: string; tools: { name: string }[] }[] }>(
      h.server.baseUrl,
      idToken,
      'oauth.consentRequest',
      { uid },
      'query',
    );
    const offered = view.data.businesses[0]?.tools.map((t) => t.name) ?? [];
    expect(offered).toEqual(expect.arrayContaining(['whoami', 'create_sale_intent']));
    expect(offered).not.toContain('list_sessions');
    const none = await trpc(
      h.server.baseUrl,
      idToken,
      'oauth.decide',
      { uid, allow: true, businessId: first.businessId, tools: [] },
      'mutation',
    );
    expect(none).toMatchObject({
      status: 400,
      message: 'Leave at least one tool ticked, or deny access to this app',
    });
    // Without `tools` (nothing unticked) the grant keeps every tool: policy all.
    expect(
      (await h.db.oAuthGrant.findFirstOrThrow({ where: { userId: first.user.id } })).toolPolicy,
    ).toBe('all');
  });
});
