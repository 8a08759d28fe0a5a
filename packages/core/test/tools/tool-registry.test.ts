import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/principal.ts';
import { ROLE_SCOPES, type Role, type Scope } from '../../src/roles.ts';
import { POS_TOOLS } from '../../src/tools/pos-tools.ts';
import { ToolRegistry } from '../../src/tools/tool-registry.ts';

const registry = new ToolRegistry(POS_TOOLS);
const INTENT_TOOLS = [
  'create_sale_intent',
  'create_refund_intent',
  'list_intents',
  'cancel_intent',
];
const OPERATOR_TOOLS = ['list_businesses', 'list_sessions', 'end_session'];
const READ_TOOLS = [
  'list_products',
  'get_product',
  'list_orders',
  'get_sales_summary',
  'end_of_day_report',
];

function principal(
  role: Role,
  scopes: readonly Scope[] = ROLE_SCOPES[role],
  businesses = 1,
): Pick<Principal, 'role' | 'scopes' | 'authorizedBusinessIds'> {
  return {
    role,
    scopes: [...scopes],
    authorizedBusinessIds: Array.from({ length: businesses }, (_, i) => `b${i}`),
  };
}
const names = (p: ReturnType<typeof principal>) => registry.listFor(p).map((t) => t.name);

describe('ToolRegistry.listFor', () => {
  it('set_active_business only with more than one authorized business', () => {
    expect(names(principal('merchant', ROLE_SCOPES.merchant, 1))).not.toContain(
      'set_active_business',
    );
    expect(names(principal('merchant', ROLE_SCOPES.merchant, 2))).toContain('set_active_business');
  });

  it('intent tools need pos:intents', () => {
    expect(names(principal('merchant'))).toEqual(expect.arrayContaining(INTENT_TOOLS));
    const withoutIntents = names(principal('merchant', ['pos:read', 'sessions:read']));
    for (const t of INTENT_TOOLS) expect(withoutIntents).not.toContain(t);
  });

  it('intent tools are never shown to tenant_developer, even with pos:intents', () => {
    const dev = names(principal('tenant_developer', ['pos:read', 'pos:intents', 'sessions:read']));
    for (const t of INTENT_TOOLS) expect(dev).not.toContain(t);
    expect(dev).toEqual(expect.arrayContaining(READ_TOOLS));
  });

  it('operator tools only for platform_operator', () => {
    expect(names(principal('platform_operator'))).toEqual(expect.arrayContaining(OPERATOR_TOOLS));
    for (const role of ['merchant', 'tenant_developer'] as const) {
      const list = names(principal(role, ['pos:read', 'pos:intents', 'sessions:read', 'operator']));
      for (const t of OPERATOR_TOOLS) expect(list).not.toContain(t);
    }
  });

  it('every other tool needs its scope; whoami needs none', () => {
    expect(names(principal('merchant', []))).toEqual(['whoami']);
    expect(names(principal('merchant', ['pos:read']))).toEqual(['whoami', ...READ_TOOLS]);
  });

  it('explain gives the reason each hidden tool is hidden', () => {
    const reasons = Object.fromEntries(
      registry.explain(principal('tenant_developer')).map((v) => [v.tool.name, v.reason]),
    );
    expect(reasons.whoami).toBeNull();
    expect(reasons.create_sale_intent).toBe('never shown to tenant_developer');
    expect(reasons.list_sessions).toBe('only for platform_operator');
    expect(reasons.set_active_business).toBe('needs 2+ businesses');
    const merchant = Object.fromEntries(
      registry.explain(principal('merchant', ['pos:read'])).map((v) => [v.tool.name, v.reason]),
    );
    expect(merchant.list_intents).toBe('needs pos:intents');
  });
});
