// Approval in the client: a proposal tool called by a client that declares
// URL-mode elicitation sends the person to the intent's console page and
// answers the merchant's decision, on both eras, through two instances
// sharing PostgreSQL and Redis. Attacks on the 2026 requestState are in
// approval-state-attacks.test.ts.
import { Client as V2Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import {
  APPROVAL_ENV,
  CONSOLE,
  decide,
  intentIdIn,
  refundedCents,
  shop,
  structured,
} from '../../support/approvals.ts';
import { roundRobin, routingFetch } from '../../support/http-routing.ts';
import { waitFor } from '../../support/poll.ts';
import { portOf, useTwoInstances } from '../../support/two-instances.ts';

const h = useTwoInstances('approvals', APPROVAL_ENV);

interface ClientOptions {
  modern: boolean;
  urlElicitation: boolean;
  /** What the person does once the client showed them the link. */
  onLink?: (url: string) => void;
  fetch?: typeof fetch;
}

async function client(bearer: string, options: ClientOptions) {
  const transport = new StreamableHTTPClientTransport(new URL(h.a.mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const c = new V2Client(
    { name: 'approvals-test', version: '1.0.0' },
    {
      capabilities: options.urlElicitation ? { elicitation: { url: {} } } : {},
      ...(options.modern ? { versionNegotiation: { mode: 'auto' as const } } : {}),
    },
  );
  const completed: string[] = [];
  const links: string[] = [];
  if (options.urlElicitation) {
    c.setRequestHandler('elicitation/create', async (request) => {
      const params = request.params as { mode?: string; url?: string };
      if (params.mode === 'url' && params.url) {
        links.push(params.url);
        options.onLink?.(params.url);
      }
      // "Accept" only says the person opened the link.
      return { action: 'accept' };
    });
    c.setNotificationHandler('notifications/elicitation/complete', (n) => {
      completed.push((n.params as { elicitationId: string }).elicitationId);
    });
  }
  await c.connect(transport);
  return { client: c, links, completed };
}

describe.each([
  { era: '2026-07-28', modern: true },
  { era: '2025-11-25 session', modern: false },
])('approval in the client on $era', ({ modern }) => {
  it('sends the person to the intent page; the merchant approves in the console and the same call answers approved, the refund recorded once', async () => {
    const { biz, key, userId } = await shop(h);
    const routed = routingFetch(roundRobin([portOf(h.a), portOf(h.b)]));
    const c = await client(key, {
      modern,
      urlElicitation: true,
      fetch: routed.fetch,
      onLink: (url) => {
        // The merchant decides a moment after the link is opened.
        setTimeout(() => void decide(h, userId, biz.business.id, intentIdIn(url), 'approve'), 300);
      },
    });
    const result = await c.client.callTool({
      name: 'create_refund_intent',
      arguments: { orderId: biz.order.id, reason: 'Cold coffee', amountCents: 100 },
    });
    expect(result.isError).toBeFalsy();
    const intent = structured(result);
    expect(intent.status).toBe('approved');
    expect(c.links).toEqual([`${CONSOLE}/intents/${intent.id}?business=${biz.business.id}`]);
    expect(await refundedCents(h, biz.order.id)).toBe(100);
    expect(await h.db.prisma.intent.count({ where: { orderId: biz.order.id } })).toBe(1);
    // The requests went to both instances (no affinity).
    expect(new Set(routed.log.map((r) => r.port)).size).toBe(2);
    if (!modern) {
      await waitFor(() => c.completed.length > 0);
      expect(c.completed).toEqual([intent.id]);
    }
    await c.client.close();
  });

  it('answers rejected when the merchant rejects, and nothing is refunded', async () => {
    const { biz, key, userId } = await shop(h);
    const c = await client(key, {
      modern,
      urlElicitation: true,
      onLink: (url) =>
        setTimeout(() => void decide(h, userId, biz.business.id, intentIdIn(url), 'reject'), 300),
    });
    const result = await c.client.callTool({
      name: 'create_refund_intent',
      arguments: { orderId: biz.order.id, reason: 'Wrong order' },
    });
    expect(structured(result).status).toBe('rejected');
    expect(await refundedCents(h, biz.order.id)).toBe(0);
    await c.client.close();
  });

  it('answers the pending intent after the bounded wait when nobody decides; accepting the link approved nothing', async () => {
    const { biz, key } = await shop(h);
    const c = await client(key, { modern, urlElicitation: true });
    const result = await c.client.callTool({
      name: 'create_refund_intent',
      arguments: { orderId: biz.order.id, reason: 'Nobody looks' },
    });
    expect(c.links).toHaveLength(1);
    expect(structured(result).status).toBe('pending');
    expect(await refundedCents(h, biz.order.id)).toBe(0);
    await c.client.close();
  }, 20_000);

  it('gives a client without URL elicitation the pending intent at once, without asking it', async () => {
    const { biz, key } = await shop(h);
    const c = await client(key, { modern, urlElicitation: false });
    const result = await c.client.callTool({
      name: 'create_refund_intent',
      arguments: { orderId: biz.order.id, reason: 'Form-only client' },
    });
    expect(structured(result).status).toBe('pending');
    await c.client.close();
  });
});
