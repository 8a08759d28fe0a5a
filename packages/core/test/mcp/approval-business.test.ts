// Which business an approval asked through the client names: the one the
// proposal was created in, even when the session's active business changes
// (set_active_business in a concurrent request of the same 2025 session)
// while the proposal is being written.
import { describe, expect, it, vi } from 'vitest';
import type { McpServer, ServerContext } from '@modelcontextprotocol/server';
import { runWithApproval, type ApprovalOptions } from '../../src/mcp/approval-flow.ts';
import type { IntentDecisionWaiter } from '../../src/pos/intent-decision-waiter.ts';
import type { Principal } from '../../src/principal.ts';
import { createRefundIntentTool } from '../../src/tools/intent-tools.ts';

const first: Principal = {
  kind: 'token',
  credentialId: 'user:u1',
  role: 'merchant',
  scopes: ['pos:read', 'pos:intents'],
  authorizedBusinessIds: ['biz-a', 'biz-b'],
  activeBusinessId: 'biz-a',
  label: 'u1@example.com',
};

describe('approval in a 2025 session', () => {
  it('links to and waits on the business the intent was created in, though the active business changed meanwhile', async () => {
    let current = first;
    const intent = { id: 'intent-1', kind: 'refund', status: 'pending' };
    const wait = vi.fn(async () => ({ ...intent, status: 'approved' }));
    const elicitInput = vi.fn(async () => ({ action: 'accept' as const }));
    const approvals = {
      codec: {} as ApprovalOptions['codec'],
      decisions: { wait } as unknown as IntentDecisionWaiter,
      intentUrl: (businessId: string, intentId: string) =>
        `https://console.example/intents/${intentId}?business=${businessId}`,
      roundWaitMs: 100,
      maxRounds: 1,
      sessionWaitMs: 100,
    } satisfies ApprovalOptions;
    const server = {
      server: {
        getClientCapabilities: () => ({ elicitation: { url: {} } }),
        createElicitationCompletionNotifier: () => async () => {},
      },
    } as unknown as McpServer;
    const ctx = {
      mcpReq: { signal: new AbortController().signal, elicitInput },
    } as unknown as ServerContext;

    const result = await runWithApproval({
      tool: createRefundIntentTool,
      args: {},
      ctx,
      server,
      principal: () => current,
      // The proposal reads the principal as it starts; a concurrent request switches business before it ends.
      run: async () => {
        const proposer = current;
        current = { ...first, activeBusinessId: 'biz-b' };
        expect(proposer.activeBusinessId).toBe('biz-a');
        return { content: [], structuredContent: intent };
      },
      approvals,
      modern: false,
    });

    expect(result.isError).not.toBe(true);
    expect(wait).toHaveBeenCalledWith('biz-a', 'intent-1', 100, expect.anything());
    expect(elicitInput).toHaveBeenCalledWith(
      expect.objectContaining({
        url: 'https://console.example/intents/intent-1?business=biz-a',
      }),
      expect.anything(),
    );
  });
});
