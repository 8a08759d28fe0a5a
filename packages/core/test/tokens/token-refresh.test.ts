import { describe, expect, it } from 'vitest';
import {
  refreshAccountRefusal,
  refreshAgeRefusal,
  refreshChainExpired,
  refreshUserRefusal,
} from '../../src/tokens/token-refresh.ts';

const DAY_S = 86_400;
const signedInAt = 1_800_000_000; // seconds
const claims = { authTime: signedInAt, generation: 3 };
const at = (secondsAfterSignIn: number) => (signedInAt + secondsAfterSignIn) * 1000;

describe('refresh chain age', () => {
  it('goes on up to its limit, counted from the original sign-in', () => {
    expect(refreshChainExpired(claims, at(30 * DAY_S), 30 * DAY_S)).toBe(false);
    expect(refreshAgeRefusal(claims, at(30 * DAY_S), 30 * DAY_S)).toBeNull();
  });

  it('ends one second past its limit with a 401 that says to sign in again', () => {
    expect(refreshChainExpired(claims, at(30 * DAY_S + 1), 30 * DAY_S)).toBe(true);
    const refusal = refreshAgeRefusal(claims, at(30 * DAY_S + 1), 30 * DAY_S);
    expect(refusal).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(refusal?.message).toBe('Sign-in too old: exchange a new Firebase ID token');
  });

  it('is measured against the limit given (a shorter one ends the same chain sooner)', () => {
    expect(refreshChainExpired(claims, at(2 * DAY_S), DAY_S)).toBe(true);
    expect(refreshChainExpired(claims, at(2 * DAY_S), 3 * DAY_S)).toBe(false);
  });
});

describe('the user behind the chain', () => {
  it('a user who no longer exists: 403', () => {
    expect(refreshUserRefusal(claims, null)).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('signed out everywhere since (another token generation): 401', () => {
    expect(refreshUserRefusal(claims, { tokenGeneration: 4 })).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Signed out: exchange a new Firebase ID token',
    });
  });

  it('the same generation: may refresh', () => {
    expect(refreshUserRefusal(claims, { tokenGeneration: 3 })).toBeNull();
  });
});

describe("the user's Firebase account", () => {
  it('disabled or deleted: 401 naming which', () => {
    expect(refreshAccountRefusal(claims, { status: 'disabled' })?.message).toBe(
      'This Firebase account is disabled',
    );
    expect(refreshAccountRefusal(claims, { status: 'deleted' })?.message).toBe(
      'This Firebase account no longer exists',
    );
  });

  it('signed out in Firebase after the chain began: 401', () => {
    const account = { status: 'active', tokensValidAfterSeconds: signedInAt + 1 } as const;
    expect(refreshAccountRefusal(claims, account)).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('active, signed out before the chain began or never: may refresh', () => {
    expect(
      refreshAccountRefusal(claims, { status: 'active', tokensValidAfterSeconds: signedInAt }),
    ).toBeNull();
    expect(
      refreshAccountRefusal(claims, { status: 'active', tokensValidAfterSeconds: null }),
    ).toBeNull();
  });
});
