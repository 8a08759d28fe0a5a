// A session's principal held to its credential's current rights: unchanged
// rights cost nothing (the stored principal itself comes back, so nothing is
// written); changed rights keep the active business while it is authorized.
import { describe, expect, it } from 'vitest';
import { sessionPrincipal, switchActiveBusiness, type Principal } from '../src/principal.ts';

const user = (over: Partial<Principal> = {}): Principal => ({
  kind: 'token',
  credentialId: 'user:u1',
  role: 'merchant',
  scopes: ['pos:read', 'pos:intents', 'sessions:read'],
  authorizedBusinessIds: ['x', 'y'],
  activeBusinessId: 'x',
  userId: 'u1',
  label: 'u1@test.flowpos',
  businessRoles: { x: 'merchant', y: 'tenant_developer' },
  ...over,
});

describe('sessionPrincipal', () => {
  it('returns the stored principal itself when the rights are the same (scope order aside)', () => {
    const stored = user();
    expect(
      sessionPrincipal(stored, user({ scopes: ['sessions:read', 'pos:intents', 'pos:read'] })),
    ).toBe(stored);
    // set_active_business moved the session to y (its role follows); the guard's principal is on the default x.
    const onY = switchActiveBusiness(user(), 'y');
    expect(onY.role).toBe('tenant_developer');
    expect(sessionPrincipal(onY, user())).toBe(onY);
  });

  it('keeps the active business while authorized, else falls back to the default; none left: null', () => {
    const stored = user({ activeBusinessId: 'y', role: 'tenant_developer' });
    const onlyX = user({ authorizedBusinessIds: ['x'], businessRoles: { x: 'merchant' } });
    expect(sessionPrincipal(stored, onlyX)).toMatchObject({
      activeBusinessId: 'x',
      authorizedBusinessIds: ['x'],
      role: 'merchant',
    });
    const roleChanged = user({ businessRoles: { x: 'merchant', y: 'merchant' } });
    expect(sessionPrincipal(stored, roleChanged)).toMatchObject({
      activeBusinessId: 'y',
      role: 'merchant',
    });
    expect(
      sessionPrincipal(stored, user({ authorizedBusinessIds: [], businessRoles: {} })),
    ).toBeNull();
  });
});

describe('switchActiveBusiness', () => {
  it('accepts only authorized businesses', () => {
    expect(() => switchActiveBusiness(user(), 'z')).toThrow(/not one you are authorized for/);
  });
  it("a user's role and scopes follow the active business", () => {
    const next = switchActiveBusiness(user(), 'y');
    expect(next.activeBusinessId).toBe('y');
    expect(next.role).toBe('tenant_developer');
    expect(next.scopes).not.toContain('pos:intents');
  });
});
