import { describe, expect, it } from 'vitest';
import { checkKeyRights } from '../../src/keys/manageable-key.ts';
import { keyActions, keyStatus } from '../../src/keys/key-status.ts';

describe('checkKeyRights', () => {
  it('a tenant developer cannot grant pos:intents or a merchant key', () => {
    expect(() =>
      checkKeyRights('tenant_developer', 'tenant_developer', ['pos:read']),
    ).not.toThrow();
    expect(() => checkKeyRights('tenant_developer', 'tenant_developer', ['pos:intents'])).toThrow(
      /pos:intents/,
    );
    expect(() => checkKeyRights('tenant_developer', 'merchant', ['pos:read'])).toThrow(
      /cannot create a merchant key/,
    );
  });

  it('a merchant cannot create operator keys or the operator scope', () => {
    expect(() =>
      checkKeyRights('merchant', 'merchant', ['pos:read', 'pos:intents', 'sessions:read']),
    ).not.toThrow();
    expect(() => checkKeyRights('merchant', 'platform_operator', ['pos:read'])).toThrow();
    expect(() => checkKeyRights('merchant', 'merchant', ['operator'])).toThrow(/operator/);
  });

  it('an operator may create any role, within that role', () => {
    expect(() =>
      checkKeyRights('platform_operator', 'platform_operator', ['operator']),
    ).not.toThrow();
    expect(() =>
      checkKeyRights('platform_operator', 'tenant_developer', ['pos:intents']),
    ).toThrow();
  });
});

describe('keyStatus', () => {
  const now = new Date('2026-11-25T00:00:00Z');
  it('revoked beats expired beats active', () => {
    expect(keyStatus({ isActive: true, revokedAt: null, expiresAt: null }, now)).toBe('active');
    expect(
      keyStatus({ isActive: true, revokedAt: null, expiresAt: new Date('2026-11-26') }, now),
    ).toBe('active');
    expect(
      keyStatus({ isActive: true, revokedAt: null, expiresAt: new Date('2026-11-24') }, now),
    ).toBe('expired');
    expect(keyStatus({ isActive: false, revokedAt: null, expiresAt: null }, now)).toBe('revoked');
    expect(
      keyStatus({ isActive: true, revokedAt: now, expiresAt: new Date('2026-11-24') }, now),
    ).toBe('revoked');
  });

  it('a key stops at its expiry instant, whether now is a Date or epoch ms', () => {
    const key = { isActive: true, revokedAt: null, expiresAt: now };
    expect(keyStatus(key, now.getTime())).toBe('expired');
    expect(keyStatus(key, now.getTime() - 1)).toBe('active');
  });
});

describe('keyActions', () => {
  const now = new Date('2026-11-25T00:00:00Z');
  const past = new Date('2026-11-24T00:00:00Z');
  it('an active key changes scopes, rolls and revokes', () => {
    const key = { isActive: true, revokedAt: null, expiresAt: null };
    expect(keyActions(key, now)).toEqual({ changeScopes: true, roll: true, revoke: true });
  });

  it('an expired key only rolls, and only once', () => {
    const key = { isActive: true, revokedAt: null, expiresAt: past };
    expect(keyActions(key, now)).toEqual({ changeScopes: false, roll: true, revoke: true });
    expect(keyActions({ ...key, replacedById: 'k2' }, now).roll).toBe(false);
  });

  it('a revoked key allows nothing', () => {
    const key = { isActive: false, revokedAt: past, expiresAt: null };
    expect(keyActions(key, now)).toEqual({ changeScopes: false, roll: false, revoke: false });
  });
});
