import { describe, expect, it } from 'vitest';
import type { Actor, Membership } from '../../src/access/actor.ts';
import { capabilitiesOf } from '../../src/access/capabilities.ts';
import { authorize, authorizeIn, mayIn } from '../../src/access/permissions.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function actor(memberships: Membership[], isPlatformOperator = false): Actor {
  return {
    userId: 'u1',
    email: 'u1@shop.test',
    isPlatformOperator,
    tokenGeneration: 0,
    memberships,
  };
}

const merchantOfA: Membership = { businessId: A, businessName: 'Alpha', role: 'merchant' };
const developerOfB: Membership = { businessId: B, businessName: 'Beta', role: 'tenant_developer' };
const businesses = [
  { id: A, name: 'Alpha', role: 'merchant' as const },
  { id: B, name: 'Beta', role: 'tenant_developer' as const },
];

describe('capabilitiesOf', () => {
  it('a merchant may do everything in their business; a developer keys, settings and sessions only', () => {
    const caps = capabilitiesOf(actor([merchantOfA, developerOfB]), businesses);
    const [alpha, beta] = caps.businesses;
    expect(alpha).toEqual({
      businessId: A,
      businessName: 'Alpha',
      role: 'merchant',
      can: {
        viewSettings: true,
        manageKeys: true,
        seeSessions: true,
        editSettings: true,
        manageMembers: true,
        decideIntents: true,
        viewAudit: true,
        endSessions: true,
        manageConnectedApps: true,
        setLimits: true,
        viewUsage: true,
        diagnose: true,
      },
    });
    expect(beta?.role).toBe('tenant_developer');
    expect(Object.entries(beta?.can ?? {}).filter(([, allowed]) => allowed)).toEqual([
      ['viewSettings', true],
      ['manageKeys', true],
      ['seeSessions', true],
    ]);
  });

  it('across businesses: a merchant somewhere previews custom tools, only operators reach everything', () => {
    expect(capabilitiesOf(actor([merchantOfA]), []).can).toEqual({
      seeSessions: true,
      previewCustomTools: true,
      seeAllSessions: false,
      viewAllAudit: false,
      viewAllUsage: false,
      viewAllConnectedApps: false,
      previewUserTools: false,
      signOutAnyone: false,
      diagnoseAnything: false,
    });
    const developer = capabilitiesOf(actor([developerOfB]), []).can;
    expect(developer.seeSessions).toBe(true);
    expect(developer.previewCustomTools).toBe(false);
    expect(capabilitiesOf(actor([]), []).can.seeSessions).toBe(false);
    expect(Object.values(capabilitiesOf(actor([], true), []).can).every(Boolean)).toBe(true);
  });

  it('operators act as platform_operator, with every business action', () => {
    const caps = capabilitiesOf(actor([], true), [
      { id: A, name: 'Alpha', role: 'platform_operator' },
    ]);
    expect(caps.businesses[0]?.role).toBe('platform_operator');
    expect(Object.values(caps.businesses[0]?.can ?? {}).every(Boolean)).toBe(true);
  });

  it('reports exactly what authorizeIn enforces', () => {
    const person = actor([merchantOfA, developerOfB]);
    for (const b of capabilitiesOf(person, businesses).businesses) {
      for (const [action, allowed] of Object.entries(b.can)) {
        const act = () => authorizeIn(person, b.businessId, action as keyof typeof b.can);
        if (allowed) expect(act()).toBe(b.role);
        else expect(act).toThrow('Only a merchant of this business can do this');
        expect(mayIn(person, b.businessId, action as keyof typeof b.can)).toBe(allowed);
      }
    }
  });
});

describe('authorizeIn and authorize', () => {
  it('refuses a non-member as such, whatever the action', () => {
    expect(() => authorizeIn(actor([developerOfB]), A, 'viewSettings')).toThrow(
      'You are not a member of this business',
    );
  });

  it('names who may act across businesses', () => {
    expect(() => authorize(actor([merchantOfA]), 'viewAllAudit')).toThrow(
      'Only platform operators can do this',
    );
    expect(() => authorize(actor([developerOfB]), 'previewCustomTools')).toThrow(
      'Only merchants and platform operators can do this',
    );
    expect(() => authorize(actor([]), 'seeSessions')).toThrow(
      'You are not a member of any business',
    );
    expect(() => authorize(actor([merchantOfA]), 'previewCustomTools')).not.toThrow();
  });
});
