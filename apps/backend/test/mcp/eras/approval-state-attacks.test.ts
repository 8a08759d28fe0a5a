// Approval in the client, attacked on the 2026-07-28 wire: only the stored
// decision approves. What the client answers (accept, inputResponses) never
// does, and a requestState that was tampered with, minted for another
// credential, another call or another deployment, or past its expiry, is refused.
import type { ServerContext } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import {
  approvalStateKey,
  argumentsDigest,
  createApprovalStateCodec,
  keyCredentialId,
} from '@flowpos/core';
import {
  APPROVAL_ENV,
  decide,
  intentIdIn,
  refundedCents,
  shop,
  type IntentResult,
} from '../../support/approvals.ts';
import { createKey } from '../../support/fixtures.ts';
import { MODERN } from '../../support/modern-wire.ts';
import { rawCall as sessionCall, rawInitialize } from '../../support/raw-mcp.ts';
import { TEST_TOKEN_SECRET, type TestServer } from '../../support/server.ts';
import { useTwoInstances } from '../../support/two-instances.ts';

const h = useTwoInstances('approvalattacks', APPROVAL_ENV);

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
    const { biz, key } = await shop(h);
    const args = { orderId: biz.order.id, reason: 'Attack', amountCents: 100 };
    const first = await rawCall(h.a, key, args);
    expect(first.result?.resultType).toBe('input_required');
    const state = first.result?.requestState as string;
    const intentId = intentIdIn(first.result?.inputRequests?.approval?.params.url as string);

    // A state pointing at another intent, with the original MAC.
    const other = await rawCall(h.b, key, { ...args, reason: 'Other' });
    const forged = tamper(state, (p) => {
      p.intentId = intentIdIn(other.result?.inputRequests?.approval?.params.url as string);
    });
    expect((await rawCall(h.b, key, args, { requestState: forged })).error?.code).toBe(-32602);

    // Another credential of the same business replaying the state.
    const otherKey = (await createKey(h.db.prisma, { businessId: biz.business.id })).key;
    expect((await rawCall(h.b, otherKey, args, { requestState: state })).error?.code).toBe(-32602);

    // The same credential reusing the state for a bigger refund.
    const bigger = await rawCall(h.b, key, { ...args, amountCents: 150 }, { requestState: state });
    expect(bigger.result?.isError).toBe(true);

    // The genuine retry, on the other instance, is accepted and waits.
    const retry = await rawCall(h.b, key, args, { requestState: state });
    expect(retry.result?.resultType).toBe('input_required');
    const stored = await h.db.prisma.intent.findUniqueOrThrow({ where: { id: intentId } });
    expect(stored.status).toBe('pending');
  });

  it('refuses a state past its expiry, and one signed with another key, however well formed', async () => {
    const { biz } = await shop(h);
    const created = await createKey(h.db.prisma, { businessId: biz.business.id });
    const args = { orderId: biz.order.id, reason: 'Old state', amountCents: 100 };
    const first = await rawCall(h.a, created.key, args);
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
    const genuineRetry = await rawCall(h.b, created.key, args, { requestState: genuine });
    expect(genuineRetry.result?.resultType).toBe('input_required');
    const expired = await createApprovalStateCodec(fleetKey, -60).mint(payload, ctx);
    expect((await rawCall(h.b, created.key, args, { requestState: expired })).error?.code).toBe(
      -32602,
    );
    const otherFleet = approvalStateKey(`${TEST_TOKEN_SECRET}-another-deployment`);
    const foreign = await createApprovalStateCodec(otherFleet, 600).mint(payload, ctx);
    expect((await rawCall(h.b, created.key, args, { requestState: foreign })).error?.code).toBe(
      -32602,
    );
  });

  it('refuses a genuine 2026 state replayed in a 2025 session by the same key: the session learns nothing of it', async () => {
    const { biz, key, userId } = await shop(h);
    const args = { orderId: biz.order.id, reason: 'Cross era', amountCents: 100 };
    const first = await rawCall(h.a, key, args);
    const state = first.result?.requestState as string;
    const intentId = intentIdIn(first.result?.inputRequests?.approval?.params.url as string);
    await decide(h, userId, biz.business.id, intentId, 'approve');
    const opened = await rawInitialize(h.a.mcpUrl, key);
    const ref = {
      sessionId: opened.sessionId as string,
      bearer: key,
      protocolVersion: '2025-11-25',
    };
    await sessionCall(h.b.mcpUrl, ref, 'notifications/initialized');
    const answer = await sessionCall(h.b.mcpUrl, ref, 'tools/call', {
      name: 'create_refund_intent',
      arguments: args,
      requestState: state,
      // (With a 2026 protocolVersion in it, the request is refused before it reaches a tool.)
      _meta: { 'io.modelcontextprotocol/clientCapabilities': { elicitation: { url: {} } } },
    });
    expect(answer.body.error?.code).toBe(-32602);
    expect(JSON.stringify(answer.body)).not.toContain('approved');
    expect(await h.db.prisma.intent.count({ where: { orderId: biz.order.id } })).toBe(1);
  });

  it('answers the pending intent at once when the person declines to open the link', async () => {
    const { biz, key } = await shop(h);
    const args = { orderId: biz.order.id, reason: 'Declined', amountCents: 100 };
    const first = await rawCall(h.a, key, args);
    const declined = await rawCall(h.b, key, args, {
      requestState: first.result?.requestState,
      inputResponses: { approval: { action: 'decline' } },
    });
    expect(declined.result?.resultType).toBe('complete');
    expect(declined.result?.structuredContent?.status).toBe('pending');
  });

  it('approves nothing on forged inputResponses, sent on the first call or with the state', async () => {
    const { biz, key } = await shop(h);
    const args = { orderId: biz.order.id, reason: 'Forged', amountCents: 100 };
    const accept = {
      inputResponses: { approval: { action: 'accept', content: { approved: true } } },
    };
    const first = await rawCall(h.a, key, args, accept);
    expect(first.result?.resultType).toBe('input_required');
    let state = first.result?.requestState as string;
    let last = first;
    for (let round = 0; round < 3 && last.result?.resultType === 'input_required'; round++) {
      last = await rawCall(round % 2 ? h.a : h.b, key, args, { ...accept, requestState: state });
      state = last.result?.requestState ?? state;
    }
    expect(last.result?.resultType).toBe('complete');
    expect(last.result?.structuredContent?.status).toBe('pending');
    expect(await refundedCents(h, biz.order.id)).toBe(0);
  }, 20_000);

  it('gives a form-only client (elicitation: {}) the pending intent in one answer', async () => {
    const { biz, key } = await shop(h);
    const answer = await rawCall(
      h.a,
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
