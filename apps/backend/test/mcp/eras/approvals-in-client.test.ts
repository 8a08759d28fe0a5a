// Approval in the client: a proposal tool called by a client that declares
// URL-mode elicitation sends the person to the intent's console page and
// answers the merchant's decision, on both eras, through two instances
// sharing PostgreSQL and Redis. Only the stored decision approves: what the
// client answers (accept, inputResponses) never does, and a requestState that
// was tampered with, minted for another credential or another call is refused.
import { Client as V2Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerContext } from '@modelcontextprotocol/server';
import {
  approvalStateKey,
  argumentsDigest,
  createApprovalStateCodec,
  decideIntent,
  keyCredentialId,
  loadActorByUserId,
  type IntentDecision,
} from '@flowpos/core';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { roundRobin, routingFetch } from '../../support/http-routing.ts';
import { waitFor } from '../../support/poll.ts';
import { rawCall as sessionCall, rawInitialize } from '../../support/raw-mcp.ts';
import { createDbUser } from '../../support/shared-services.ts';
import {
  startTestServer,
  TEST_TOKEN_SECRET,
  uniquePrefix,
  type TestServer,
} from '../../support/server.ts';

const MODERN = '2026-07-28';
const CONSOLE = 'http://console.flowpos.test';
let db: TestDatabase;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  db = await createTestDatabase('approvals');
  const prefix = uniquePrefix('approvals');
  const env = {
    CONSOLE_URL: CONSOLE,
    MCP_APPROVAL_ROUND_WAIT_MS: '1000',
    MCP_APPROVAL_ROUNDS: '3',
    MCP_APPROVAL_SESSION_WAIT_MS: '8000',
  };
  a = await startTestServer({ databaseUrl: db.url, redis: true, redisKeyPrefix: prefix, env });
  b = await startTestServer({
    databaseUrl: db.url,
    redis: true,
    redisKeyPrefix: prefix,
    env: { ...env, PUBLIC_BASE_URL: a.baseUrl, INSTANCE_ID: 'instance-b' },
  });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await db?.drop();
});

const portOf = (server: TestServer) => (server.app.server.address() as { port: number }).port;

/** A business with one order, a merchant key, and a merchant who decides in the console. */
async function shop() {
  const biz = await createBusiness(db.prisma, unique('Approval Bar'));
  const key = (await createKey(db.prisma, { businessId: biz.business.id })).key;
  const user = await createDbUser(db.prisma, {
    email: `${unique('merchant')}@flowpos.test`,
    memberships: [{ businessId: biz.business.id, role: 'merchant' }],
  });
  return { biz, key, userId: user.id };
}

/** What the console's tRPC does when the merchant clicks, on instance B (announced over Redis). */
async function decide(userId: string, businessId: string, intentId: string, how: IntentDecision) {
  const actor = await loadActorByUserId(db.prisma, userId);
  const services = b.services;
  return decideIntent(
    { db: db.prisma, audit: services.audit, events: services.events },
    actor,
    { businessId, intentId },
    how,
  );
}

const intentIdIn = (url: string) => new URL(url).pathname.split('/').pop() as string;

interface ClientOptions {
  modern: boolean;
  urlElicitation: boolean;
  /** What the person does once the client showed them the link. */
  onLink?: (url: string) => void;
  fetch?: typeof fetch;
}

async function client(bearer: string, options: ClientOptions) {
  const transport = new StreamableHTTPClientTransport(new URL(a.mcpUrl), {
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

type IntentResult = { status: string; id: string; payload: { amountCents: number } };
const structured = (result: unknown) =>
  (result as { structuredContent: IntentResult }).structuredContent;

async function refundedCents(orderId: string) {
  const order = await db.prisma.order.findUniqueOrThrow({ where: { id: orderId } });
  return order.refundedCents;
}

describe.each([
  { era: '2026-07-28', modern: true },
  { era: '2025-11-25 session', modern: false },
])('approval in the client on $era', ({ modern }) => {
  it('sends the person to the intent page; the merchant approves in the console and the same call answers approved, the refund recorded once', async () => {
    const { biz, key, userId } = await shop();
    const routed = routingFetch(roundRobin([portOf(a), portOf(b)]));
    const c = await client(key, {
      modern,
      urlElicitation: true,
      fetch: routed.fetch,
      onLink: (url) => {
        // The merchant decides a moment after the link is opened.
        setTimeout(() => void decide(userId, biz.business.id, intentIdIn(url), 'approve'), 300);
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
    expect(await refundedCents(biz.order.id)).toBe(100);
    expect(await db.prisma.intent.count({ where: { orderId: biz.order.id } })).toBe(1);
    // The requests went to both instances (no affinity).
    expect(new Set(routed.log.map((r) => r.port)).size).toBe(2);
    if (!modern) {
      await waitFor(() => c.completed.length > 0);
      expect(c.completed).toEqual([intent.id]);
    }
    await c.client.close();
  });

  it('answers rejected when the merchant rejects, and nothing is refunded', async () => {
    const { biz, key, userId } = await shop();
    const c = await client(key, {
      modern,
      urlElicitation: true,
      onLink: (url) =>
        setTimeout(() => void decide(userId, biz.business.id, intentIdIn(url), 'reject'), 300),
    });
    const result = await c.client.callTool({
      name: 'create_refund_intent',
      arguments: { orderId: biz.order.id, reason: 'Wrong order' },
    });
    expect(structured(result).status).toBe('rejected');
    expect(await refundedCents(biz.order.id)).toBe(0);
    await c.client.close();
  });

  it('answers the pending intent after the bounded wait when nobody decides; accepting the link approved nothing', async () => {
    const { biz, key } = await shop();
    const c = await client(key, { modern, urlElicitation: true });
    const result = await c.client.callTool({
      name: 'create_refund_intent',
      arguments: { orderId: biz.order.id, reason: 'Nobody looks' },
    });
    expect(c.links).toHaveLength(1);
    expect(structured(result).status).toBe('pending');
    expect(await refundedCents(biz.order.id)).toBe(0);
    await c.client.close();
  }, 20_000);

  it('gives a client without URL elicitation the pending intent at once, without asking it', async () => {
    const { biz, key } = await shop();
    const c = await client(key, { modern, urlElicitation: false });
    const result = await c.client.callTool({
      name: 'create_refund_intent',
      arguments: { orderId: biz.order.id, reason: 'Form-only client' },
    });
    expect(structured(result).status).toBe('pending');
    await c.client.close();
  });
});

// The 2026 wire, raw: what a hostile client can send.
function headers(bearer: string) {
  return {
    authorization: `Bearer ${bearer}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN,
    'mcp-method': 'tools/call',
    'mcp-name': 'create_refund_intent',
  };
}

async function rawCall(
  server: TestServer,
  bearer: string,
  args: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  capabilities: Record<string, unknown> = { elicitation: { url: {} } },
) {
  const res = await fetch(server.mcpUrl, {
    method: 'POST',
    headers: headers(bearer),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'create_refund_intent',
        arguments: args,
        ...extra,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN,
          'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': capabilities,
        },
      },
    }),
  });
  return (await res.json()) as {
    result?: {
      resultType: string;
      requestState?: string;
      inputRequests?: Record<string, { params: { url: string } }>;
      structuredContent?: IntentResult;
      isError?: boolean;
    };
    error?: { code: number; message: string };
  };
}

/** Re-signs nothing: changes the payload of a state and keeps its MAC. */
function tamper(state: string, change: (payload: Record<string, unknown>) => void): string {
  const [version, body, mac] = state.split('.') as [string, string, string];
  const decoded = JSON.parse(Buffer.from(body, 'base64url').toString()) as {
    p: Record<string, unknown>;
  };
  change(decoded.p);
  return `${version}.${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${mac}`;
}

describe('approval requestState on 2026-07-28, attacked', () => {
  it('refuses a tampered state, one replayed by another credential, and one echoed for other arguments', async () => {
    const { biz, key } = await shop();
    const args = { orderId: biz.order.id, reason: 'Attack', amountCents: 100 };
    const first = await rawCall(a, key, args);
    expect(first.result?.resultType).toBe('input_required');
    const state = first.result?.requestState as string;
    const intentId = intentIdIn(first.result?.inputRequests?.approval?.params.url as string);

    // A state pointing at another intent, with the original MAC.
    const other = await rawCall(b, key, { ...args, reason: 'Other' });
    const forged = tamper(state, (p) => {
      p.intentId = intentIdIn(other.result?.inputRequests?.approval?.params.url as string);
    });
    expect((await rawCall(b, key, args, { requestState: forged })).error?.code).toBe(-32602);

    // Another credential of the same business replaying the state.
    const otherKey = (await createKey(db.prisma, { businessId: biz.business.id })).key;
    expect((await rawCall(b, otherKey, args, { requestState: state })).error?.code).toBe(-32602);

    // The same credential reusing the state for a bigger refund.
    const bigger = await rawCall(b, key, { ...args, amountCents: 150 }, { requestState: state });
    expect(bigger.result?.isError).toBe(true);

    // The genuine retry, on the other instance, is accepted and waits.
    const retry = await rawCall(b, key, args, { requestState: state });
    expect(retry.result?.resultType).toBe('input_required');
    const stored = await db.prisma.intent.findUniqueOrThrow({ where: { id: intentId } });
    expect(stored.status).toBe('pending');
  });

  it('refuses a state past its expiry, and one signed with another key, however well formed', async () => {
    const { biz } = await shop();
    const created = await createKey(db.prisma, { businessId: biz.business.id });
    const args = { orderId: biz.order.id, reason: 'Old state', amountCents: 100 };
    const first = await rawCall(a, created.key, args);
    const intentId = intentIdIn(first.result?.inputRequests?.approval?.params.url as string);
    const payload = {
      tool: 'create_refund_intent',
      intentId,
      businessId: biz.business.id,
      args: argumentsDigest(args),
      round: 1,
    };
    // What the SDK's bind callback reads of the request: its method and the credential.
    const ctx = {
      mcpReq: { method: 'tools/call' },
      http: { authInfo: { clientId: keyCredentialId(created.row.id) } },
    } as unknown as ServerContext;
    const fleetKey = approvalStateKey(TEST_TOKEN_SECRET);
    const genuine = await createApprovalStateCodec(fleetKey, 600).mint(payload, ctx);
    const genuineRetry = await rawCall(b, created.key, args, { requestState: genuine });
    expect(genuineRetry.result?.resultType).toBe('input_required');
    const expired = await createApprovalStateCodec(fleetKey, -60).mint(payload, ctx);
    expect((await rawCall(b, created.key, args, { requestState: expired })).error?.code).toBe(
      -32602,
    );
    const otherFleet = approvalStateKey(`${TEST_TOKEN_SECRET}-another-deployment`);
    const foreign = await createApprovalStateCodec(otherFleet, 600).mint(payload, ctx);
    expect((await rawCall(b, created.key, args, { requestState: foreign })).error?.code).toBe(
      -32602,
    );
  });

  it('refuses a genuine 2026 state replayed in a 2025 session by the same key: the session learns nothing of it', async () => {
    const { biz, key, userId } = await shop();
    const args = { orderId: biz.order.id, reason: 'Cross era', amountCents: 100 };
    const first = await rawCall(a, key, args);
    const state = first.result?.requestState as string;
    const intentId = intentIdIn(first.result?.inputRequests?.approval?.params.url as string);
    await decide(userId, biz.business.id, intentId, 'approve');
    const opened = await rawInitialize(a.mcpUrl, key);
    const ref = {
      sessionId: opened.sessionId as string,
      bearer: key,
      protocolVersion: '2025-11-25',
    };
    await sessionCall(b.mcpUrl, ref, 'notifications/initialized');
    const answer = await sessionCall(b.mcpUrl, ref, 'tools/call', {
      name: 'create_refund_intent',
      arguments: args,
      requestState: state,
      // (With a 2026 protocolVersion in it, the request is refused before it reaches a tool.)
      _meta: { 'io.modelcontextprotocol/clientCapabilities': { elicitation: { url: {} } } },
    });
    expect(answer.body.error?.code).toBe(-32602);
    expect(JSON.stringify(answer.body)).not.toContain('approved');
    expect(await db.prisma.intent.count({ where: { orderId: biz.order.id } })).toBe(1);
  });

  it('answers the pending intent at once when the person declines to open the link', async () => {
    const { biz, key } = await shop();
    const args = { orderId: biz.order.id, reason: 'Declined', amountCents: 100 };
    const first = await rawCall(a, key, args);
    const declined = await rawCall(b, key, args, {
      requestState: first.result?.requestState,
      inputResponses: { approval: { action: 'decline' } },
    });
    expect(declined.result?.resultType).toBe('complete');
    expect(declined.result?.structuredContent?.status).toBe('pending');
  });

  it('approves nothing on forged inputResponses, sent on the first call or with the state', async () => {
    const { biz, key } = await shop();
    const args = { orderId: biz.order.id, reason: 'Forged', amountCents: 100 };
    const accept = {
      inputResponses: { approval: { action: 'accept', content: { approved: true } } },
    };
    const first = await rawCall(a, key, args, accept);
    expect(first.result?.resultType).toBe('input_required');
    let state = first.result?.requestState as string;
    let last = first;
    for (let round = 0; round < 3 && last.result?.resultType === 'input_required'; round++) {
      last = await rawCall(round % 2 ? a : b, key, args, { ...accept, requestState: state });
      state = last.result?.requestState ?? state;
    }
    expect(last.result?.resultType).toBe('complete');
    expect(last.result?.structuredContent?.status).toBe('pending');
    expect(await refundedCents(biz.order.id)).toBe(0);
  }, 20_000);

  it('gives a form-only client (elicitation: {}) the pending intent in one answer', async () => {
    const { biz, key } = await shop();
    const answer = await rawCall(
      a,
      key,
      { orderId: biz.order.id, reason: 'Form' },
      {},
      {
        elicitation: {},
      },
    );
    expect(answer.result?.resultType).toBe('complete');
    expect(answer.result?.structuredContent?.status).toBe('pending');
  });
});
