// DESIGN "Tool visibility" / RUNBOOK §5: tools/list from a real session equals
// ToolRegistry.listFor(principal) for principals of every role and shape, each
// rule holds on its own, and a hidden tool fails exactly like an unknown one.
import type { Principal, Role, Scope } from '@flowpos/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createKey, createUser, unique } from '../support/fixtures.ts';
import { connectClient } from '../support/mcp-client.ts';
import { useHarness } from '../support/harness.ts';
import { exchangeToken, mcpRequest, rawSession, toolsCallBody } from '../support/raw-http.ts';

const h = useHarness('visibility');
let businessA: string;
let businessB: string;

const INTENT_TOOLS = [
  'cancel_intent',
  'create_refund_intent',
  'create_sale_intent',
  'list_intents',
];
const OPERATOR_TOOLS = ['end_session', 'list_businesses', 'list_sessions'];
const READ_TOOLS = [
  'end_of_day_report',
  'get_product',
  'get_sales_summary',
  'list_orders',
  'list_products',
];

beforeAll(async () => {
  businessA = (await createBusiness(h.db, unique('A Vis'), 1)).business.id;
  businessB = (await createBusiness(h.db, unique('B Vis'), 1)).business.id;
});

interface Case {
  label: string;
  credential: () => Promise<string>;
  /** What the visibility rules say, independently of listFor. */
  check(names: string[]): void;
}

const key = (role: Role, scopes?: Scope[]) => async () =>
  (await createKey(h.db, { businessId: businessA, role, ...(scopes ? { scopes } : {}) })).key;
const token =
  (memberships: { businessId: () => string; role: Role }[], operator = false) =>
  async () => {
    const user = await createUser(h.db, {
      memberships: memberships.map((m) => ({ businessId: m.businessId(), role: m.role })),
      operator,
      label: 'vis',
    });
    const res = await exchangeToken(h.server.baseUrl, await user.idToken());
    expect(res.status).toBe(200);
    return res.json.token as string;
  };

const has = (names: string[], tools: string[]) =>
  expect(names).toEqual(expect.arrayContaining(tools));
const lacks = (names: string[], tools: string[]) =>
  tools.forEach((t) => expect(names).not.toContain(t));

const cases: Case[] = [
  {
    label: 'merchant key with pos:intents (1 business)',
    credential: key('merchant'),
    check: (n) => {
      has(n, ['whoami', ...READ_TOOLS, ...INTENT_TOOLS]);
      lacks(n, ['set_active_business', ...OPERATOR_TOOLS]);
    },
  },
  {
    label: 'merchant key without pos:intents',
    credential: key('merchant', ['pos:read', 'sessions:read']),
    check: (n) => {
      has(n, ['whoami', ...READ_TOOLS]);
      lacks(n, [...INTENT_TOOLS, 'set_active_business', ...OPERATOR_TOOLS]);
    },
  },
  {
    label: 'merchant key with only sessions:read (every other tool needs its scope)',
    credential: key('merchant', ['sessions:read']),
    check: (n) => expect(n).toEqual(['whoami']),
  },
  {
    label: 'tenant_developer key',
    credential: key('tenant_developer'),
    check: (n) => {
      has(n, ['whoami', ...READ_TOOLS]);
      lacks(n, [...INTENT_TOOLS, ...OPERATOR_TOOLS]);
    },
  },
  {
    label: 'tenant_developer key that somehow holds pos:intents still gets no intent tools',
    credential: key('tenant_developer', ['pos:read', 'pos:intents', 'sessions:read']),
    check: (n) => lacks(n, INTENT_TOOLS),
  },
  {
    label: 'merchant key holding the operator scope gets no operator tools',
    credential: key('merchant', ['pos:read', 'operator']),
    check: (n) => lacks(n, OPERATOR_TOOLS),
  },
  {
    label: 'platform_operator key (1 business)',
    credential: key('platform_operator'),
    check: (n) => {
      has(n, ['whoami', ...READ_TOOLS, ...INTENT_TOOLS, ...OPERATOR_TOOLS]);
      lacks(n, ['set_active_business']);
    },
  },
  {
    label: 'merchant user with 1 business',
    credential: token([{ businessId: () => businessA, role: 'merchant' }]),
    check: (n) => {
      has(n, ['whoami', ...READ_TOOLS, ...INTENT_TOOLS]);
      lacks(n, ['set_active_business', ...OPERATOR_TOOLS]);
    },
  },
  {
    label: 'merchant user with 2 businesses',
    credential: token([
      { businessId: () => businessA, role: 'merchant' },
      { businessId: () => businessB, role: 'merchant' },
    ]),
    check: (n) => {
      has(n, ['whoami', 'set_active_business', ...READ_TOOLS, ...INTENT_TOOLS]);
      lacks(n, OPERATOR_TOOLS);
    },
  },
  {
    label: 'tenant_developer user with 1 business',
    credential: token([{ businessId: () => businessA, role: 'tenant_developer' }]),
    check: (n) => {
      has(n, ['whoami', ...READ_TOOLS]);
      lacks(n, ['set_active_business', ...INTENT_TOOLS, ...OPERATOR_TOOLS]);
    },
  },
  {
    label: 'tenant_developer user with 2 businesses',
    credential: token([
      { businessId: () => businessA, role: 'tenant_developer' },
      { businessId: () => businessB, role: 'tenant_developer' },
    ]),
    check: (n) => {
      has(n, ['whoami', 'set_active_business', ...READ_TOOLS]);
      lacks(n, [...INTENT_TOOLS, ...OPERATOR_TOOLS]);
    },
  },
  {
    label: 'platform_operator user (no membership, every business)',
    credential: token([], true),
    check: (n) => {
      has(n, ['whoami', 'set_active_business', ...READ_TOOLS, ...INTENT_TOOLS, ...OPERATOR_TOOLS]);
    },
  },
];

async function principalOf(bearer: string): Promise<Principal> {
  const auth = await h.server.services.guard.authenticate(`Bearer ${bearer}`);
  if (!auth) throw new Error('credential refused');
  return auth.principal;
}

/** The tools/call answer with the tool's own name taken out, for comparison. */
function normalized(result: unknown, name: string) {
  return JSON.parse(JSON.stringify(result).replaceAll(name, '<tool>')) as unknown;
}

describe('tools/list equals ToolRegistry.listFor(principal)', () => {
  it.each(cases)('$label', async ({ credential, check }) => {
    const bearer = await credential();
    const principal = await principalOf(bearer);
    const expected = h.server.services.core.registry
      .listFor(principal)
      .map((t) => t.name)
      .sort();
    const connected = await connectClient(h.server.mcpUrl, bearer);
    try {
      const listed = (await connected.client.listTools()).tools.map((t) => t.name).sort();
      expect(listed).toEqual(expected);
      check(listed);
    } finally {
      await connected.close();
    }
  });
});

describe('a hidden tool called anyway fails exactly as an unknown tool', () => {
  it.each(cases)('$label', async ({ credential }) => {
    const bearer = await credential();
    const principal = await principalOf(bearer);
    const visible = new Set(h.server.services.core.registry.listFor(principal).map((t) => t.name));
    const hidden = h.server.services.core.registry.tools
      .map((t) => t.name)
      .filter((n) => !visible.has(n));
    const sessionId = await rawSession(h.server.mcpUrl, bearer);
    const call = async (name: string, args: Record<string, unknown>) => {
      const body = toolsCallBody(name, args);
      const res = await mcpRequest(h.server.mcpUrl, {
        bearer,
        sessionId,
        body: { ...body, id: 1 },
      });
      return { status: res.status, json: res.json };
    };
    const unknown = await call('no_such_tool', {});
    expect(unknown.status).toBe(200);
    expect(unknown.json.result).toEqual({
      content: [{ type: 'text', text: 'MCP error -32602: Tool no_such_tool not found' }],
      isError: true,
    });
    for (const name of hidden) {
      // Plausible arguments, so that nothing but visibility can refuse the call.
      const hiddenCall = await call(
        name,
        name === 'set_active_business' ? { businessId: businessB } : {},
      );
      expect(normalized(hiddenCall, name)).toEqual(normalized(unknown, 'no_such_tool'));
    }
    // Control: a visible tool does run.
    const ok = await call('whoami', {});
    expect(ok.json.result.isError).toBeUndefined();
  });
});
