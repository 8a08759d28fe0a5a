// The session lifetime rule, and its database and Redis forms, agree at the
// edges: the last alive millisecond, the first idle one, the credential's expiry.
import { describe, expect, it } from 'vitest';
import {
  aliveScoreRange,
  aliveSessionWhere,
  deadSessionWhere,
  isAlive,
  sessionLifetime,
  storeTtlMs,
} from '../../src/sessions/session-lifetime.ts';

const TTL = 60_000;
const now = 1_800_000_000_000;

describe('sessionLifetime', () => {
  it.each([
    ['seen just now, no expiry', { lastSeenAt: now }, 'alive'],
    ['seen one ms short of the idle TTL', { lastSeenAt: now - TTL + 1 }, 'alive'],
    ['seen exactly the idle TTL ago', { lastSeenAt: now - TTL }, 'idle'],
    ['seen long ago', { lastSeenAt: now - 10 * TTL }, 'idle'],
    ['seen just now, credential expires later', { lastSeenAt: now, expiresAt: now + 1 }, 'alive'],
    ['seen just now, credential expires now', { lastSeenAt: now, expiresAt: now }, 'ended'],
    ['idle and expired: the expiry wins', { lastSeenAt: now - TTL, expiresAt: now - 1 }, 'ended'],
  ] as const)('%s: %s', (_case, record, expected) => {
    expect(sessionLifetime(record, TTL, now)).toBe(expected);
    expect(isAlive(record, TTL, now)).toBe(expected === 'alive');
  });
});

describe('the database form', () => {
  it('keeps exactly the alive, and sweeps exactly the rest', () => {
    const alive = aliveSessionWhere(TTL, now);
    expect(alive.lastSeenAt.gt.getTime()).toBe(now - TTL);
    expect(alive.OR).toEqual([{ expiresAt: null }, { expiresAt: { gt: new Date(now) } }]);
    expect(deadSessionWhere(TTL, now).OR).toEqual([
      { lastSeenAt: { lte: new Date(now - TTL) } },
      { expiresAt: { lte: new Date(now) } },
    ]);
  });
});

describe('the Redis form', () => {
  it('scores above the idle cutoff are alive; at or below it are dropped', () => {
    expect(aliveScoreRange(TTL, now)).toEqual({ min: `(${now - TTL}`, idledOutMax: now - TTL });
  });

  it('a record is kept for the idle TTL, cut at its credential expiry, never 0', () => {
    expect(storeTtlMs({}, TTL, now)).toBe(TTL);
    expect(storeTtlMs({ expiresAt: now + 5_000 }, TTL, now)).toBe(5_000);
    expect(storeTtlMs({ expiresAt: now + 10 * TTL }, TTL, now)).toBe(TTL);
    expect(storeTtlMs({ expiresAt: now - 1 }, TTL, now)).toBe(1);
  });
});
