// The tool policy rule: a credential's policy narrows what its role and scopes
// allow (never widens it), in the one visibility rule every path uses; explicit
// lists name only known tools; a policy change is a change of rights.
import { describe, expect, it } from 'vitest';
import { createToolRunner } from '../../src/mcp/tool-runner.ts';
import { sessionPrincipal, type Principal } from '../../src/principal.ts';
import { ROLE_SCOPES } from '../../src/roles.ts';
import { POS_TOOLS } from '../../src/tools/pos-tools.ts';
import { knownToolPolicy, withToolPolicy } from '../../src/tools/tool-policy-rules.ts';
import {
  MAX_POLICY_TOOLS,
  samePolicy,
  toolPolicyColumns,
  toolPolicyOf,
  toolPolicySchema,
  type ToolPolicy,
} from '../../src/tools/tool-policy.ts';
import { hiddenReason, stepUpScopeFor, ToolRegistry } from '../../src/tools/tool-registry.ts';
import type { AuditLog } from '../../src/audit.ts';
import type { ToolContext } from '../../src/tools/tool-definition.ts';

const registry = new ToolRegistry(POS_TOOLS);

const key = (toolPolicy?: ToolPolicy, over: Partial<Principal> = {}): Principal => ({
  kind: 'api_key',
  credentialId: 'key:k1',
  role: 'merchant',
  scopes: [...ROLE_SCOPES.merchant],
  authorizedBusinessIds: ['b1'],
  activeBusinessId: 'b1',
  apiKeyId: 'k1',
  label: 'fp_…',
  ...(toolPolicy && { toolPolicy }),
  ...over,
});
const names = (p: Principal) => registry.listFor(p).map((t) => t.name);

describe('tool policy in ToolRegistry.listFor', () => {
  it('all (or none on the principal) leaves what the role and scopes allow', () => {
    expect(names(key({ kind: 'all' }))).toEqual(names(key()));
    expect(names(key())).toContain('create_sale_intent');
  });

  it('read_only keeps exactly the tools annotated readOnlyHint', () => {
    const list = names(key({ kind: 'read_only' }));
    expect(list).toEqual(names(key()).filter((n) => registry.get(n)?.readOnly));
    expect(list).toEqual(expect.arrayContaining(['list_products', 'list_intents', 'whoami']));
    for (const writer of ['create_sale_intent', 'create_refund_intent', 'cancel_intent']) {
      expect(list).not.toContain(writer);
    }
    expect(hiddenReason(registry.get('cancel_intent')!, key({ kind: 'read_only' }))).toBe(
      'outside the tool policy (read-only)',
    );
  });

  it('an explicit list keeps only the listed tools, and never more than the rights allow', () => {
    const policy: ToolPolicy = { kind: 'tools', tools: ['list_products', 'list_sessions'] };
    // list_sessions is an operator tool: a merchant key does not get it by naming it.
    expect(names(key(policy))).toEqual(['list_products']);
    expect(names(key(policy, { scopes: ['pos:read'] }))).toEqual(['list_products']);
    expect(hiddenReason(registry.get('get_product')!, key(policy))).toBe(
      'outside the tool policy (not in its list)',
    );
  });

  it('a tool outside the policy offers no step-up scope', () => {
    const p = key({ kind: 'read_only' }, { scopes: ['pos:read'] });
    expect(stepUpScopeFor(registry, 'create_sale_intent', p)).toBeNull();
    expect(
      stepUpScopeFor(registry, 'create_sale_intent', key(undefined, { scopes: ['pos:read'] })),
    ).toBe('pos:intents');
  });

  it('tools/call of a tool outside the policy is "not found", as a hidden tool', async () => {
    const records: unknown[] = [];
    const audit = { record: (e: unknown) => records.push(e) } as unknown as AuditLog;
    const principal = key({ kind: 'tools', tools: ['whoami'] });
    const run = createToolRunner(
      { sessionId: null, principal: () => principal, context: {} as ToolContext },
      { audit },
    );
    await expect(
      run(registry.get('list_products')!, {}, new AbortController().signal),
    ).rejects.toThrow('Tool list_products not found');
    expect(records).toEqual([]);
  });
});

describe('tool policy values', () => {
  it('explicit lists: deduped, capped, known names only', () => {
    const parsed = toolPolicySchema.parse({
      kind: 'tools',
      tools: ['whoami', 'whoami', 'get_product'],
    });
    expect(parsed).toEqual({ kind: 'tools', tools: ['whoami', 'get_product'] });
    expect(toolPolicySchema.safeParse({ kind: 'tools', tools: [] }).success).toBe(false);
    const many = Array.from({ length: MAX_POLICY_TOOLS + 1 }, (_, i) => `t${i}`);
    expect(toolPolicySchema.safeParse({ kind: 'tools', tools: many }).success).toBe(false);
    for (const hostile of ['__proto__', 'a\u0000b', 'x'.repeat(65), 'Whoami', '\ud800']) {
      expect(toolPolicySchema.safeParse({ kind: 'tools', tools: [hostile] }).success).toBe(false);
    }
    expect(toolPolicySchema.safeParse({ kind: 'write_only' }).success).toBe(false);
    expect(() => knownToolPolicy({ kind: 'tools', tools: ['whoami', 'drop_tables'] })).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', message: 'Unknown tool: drop_tables' }),
    );
    expect(knownToolPolicy(undefined)).toEqual({ kind: 'all' });
  });

  it('round-trips through its columns; an unknown stored kind reads as read_only', () => {
    for (const policy of [
      { kind: 'all' },
      { kind: 'read_only' },
      { kind: 'tools', tools: ['whoami'] },
    ] as ToolPolicy[]) {
      expect(toolPolicyOf(toolPolicyColumns(policy))).toEqual(policy);
    }
    expect(toolPolicyOf({ toolPolicy: 'bogus', toolPolicyTools: [] })).toEqual({
      kind: 'read_only',
    });
  });

  it('a policy change is a change of rights for a live session', () => {
    const stored = key();
    const narrowed = withToolPolicy(stored, { kind: 'read_only' });
    expect(samePolicy(undefined, { kind: 'all' })).toBe(true);
    expect(
      samePolicy({ kind: 'tools', tools: ['a', 'b'] }, { kind: 'tools', tools: ['b', 'a'] }),
    ).toBe(true);
    expect(sessionPrincipal(stored, key({ kind: 'all' }))).toBe(stored);
    expect(sessionPrincipal(stored, narrowed)).toEqual(narrowed);
    // Back to all: no policy left on the principal.
    expect('toolPolicy' in withToolPolicy(narrowed, { kind: 'all' })).toBe(false);
  });
});
