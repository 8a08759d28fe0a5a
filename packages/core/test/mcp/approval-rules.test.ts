// The pure rules behind approval in the client: which calls may need the
// client (both fast paths consult this), the argument digest a requestState
// is tied to, and the fleet key derived from the shared secret.
import { describe, expect, it } from 'vitest';
import { approvalStateKey, argumentsDigest } from '../../src/mcp/approval-flow.ts';
import { callMayNeedClient, declaresUrlElicitation } from '../../src/mcp/needs-client.ts';
import { createRefundIntentTool } from '../../src/tools/intent-tools.ts';
import { listOrdersTool } from '../../src/tools/pos-tools.ts';

describe('callMayNeedClient', () => {
  it('is true only for a proposal tool called by a client declaring URL elicitation', () => {
    const url = { elicitation: { url: {} } };
    expect(callMayNeedClient(createRefundIntentTool, url)).toBe(true);
    expect(callMayNeedClient(createRefundIntentTool, { elicitation: { url: {}, form: {} } })).toBe(
      true,
    );
    expect(callMayNeedClient(listOrdersTool, url)).toBe(false);
  });

  it('reads a bare or form-only elicitation capability, or none, as no URL mode', () => {
    for (const capabilities of [
      undefined,
      null,
      {},
      { elicitation: {} },
      { elicitation: { form: {} } },
      { elicitation: { url: true } },
      { elicitation: null },
      'elicitation',
    ]) {
      expect(declaresUrlElicitation(capabilities)).toBe(false);
      expect(callMayNeedClient(createRefundIntentTool, capabilities)).toBe(false);
    }
  });
});

describe('argumentsDigest', () => {
  it('ignores key order and tells apart any change of value', () => {
    const a = { orderId: 'o1', reason: 'r', amountCents: 100 };
    expect(argumentsDigest(a)).toBe(
      argumentsDigest({ amountCents: 100, reason: 'r', orderId: 'o1' }),
    );
    expect(argumentsDigest(a)).not.toBe(argumentsDigest({ ...a, amountCents: 101 }));
    expect(argumentsDigest({ lines: [{ q: 1 }, { q: 2 }] })).not.toBe(
      argumentsDigest({ lines: [{ q: 2 }, { q: 1 }] }),
    );
  });
});

describe('approvalStateKey', () => {
  it('derives 32 bytes, the same for the same secret on every instance, never the secret itself', () => {
    const secret = 'a-shared-secret-of-at-least-thirty-two-chars';
    const key = approvalStateKey(secret);
    expect(key).toHaveLength(32);
    expect(Buffer.from(approvalStateKey(secret)).equals(Buffer.from(key))).toBe(true);
    expect(Buffer.from(approvalStateKey(`${secret}!`)).equals(Buffer.from(key))).toBe(false);
    expect(Buffer.from(key).toString()).not.toContain(secret.slice(0, 16));
  });
});
