// The session lifetime rule, and its database and Redis forms, agree at the
// edges: the active window, the idle TTL, the credential's expiry.
import { describe, expect, it } from 'vitest';
import { ACTIVE_WINDOW_MS } from '../../src/sessions/activity-state.ts';
import {
  liveScoreRange,
  liveSessionWhere,
  endedSessionWhere,
  isLive,
  sessionLifetime,
  storeTtlMs,
} from '../../src/sessions/session-lifetime.ts';

const TTL = 30 * 60_000;
const now = 1_800_000_000_000;

describe('sessionLifetime', () => {
  it.each([
    ['seen just now, no expiry', { lastSeenAt: now }, 0, 'alive'],
    ['seen at the edge of the active window', { lastSeenAt: now - ACTIVE_WINDOW_MS }, 0, 'alive'],
    ['seen just past the active window', { lastSeenAt: now - ACTIVE_WINDOW_MS - 1 }, 0, 'idle'],
    ['quiet, but a stream is open', { lastSeenAt: now - ACTIVE_WINDOW_MS - 1 }, 1, 'alive'],
    ['seen one ms short of the idle TTL', { lastSeenAt: now - TTL + 1 }, 0, 'idle'],
    ['seen exactly the idle TTL ago', { lastSeenAt: now - TTL }, 0, 'ended'],
    ['seen long ago, a stream open', { lastSeenAt: now - 10 * TTL }, 1, 'ended'],
    [
      'seen just now, credential expires later',
      { lastSeenAt: now, expiresAt: now + 1 },
      0,
      'alive',
    ],
    ['seen just now, credential expires now', { lastSeenAt: now, expiresAt: now }, 0, 'ended'],
  ] as const)('%s: %s', (_case, record, streams, expected) => {
    expect(sessionLifetime(record, TTL, now, streams)).toBe(expected);
    if (streams === 0) expect(isLive(record, TTL, now)).toBe(expected !== 'ended');
  });
});

describe('the database form', () => {
  it('keeps exactly the live, and sweeps exactly the rest', () => {
    const alive = liveSessionWhere(TTL, now);
    expect(alive.lastSeenAt.gt.getTime()).toBe(now - TTL);
    expect(alive.OR).toEqual([{ expiresAt: null }, { expiresAt: { gt: new Date(now) } }]);
    expect(endedSessionWhere(TTL, now).OR).toEqual([
      { lastSeenAt: { lte: new Date(now - TTL) } },
      { expiresAt: { lte: new Date(now) } },
    ]);
  });
});

describe('the Redis form', () => {
  it('scores above the idle cutoff are live; at or below it are dropped', () => {
    expect(liveScoreRange(TTL, now)).toEqual({ min: `(${now - TTL}`, endedMax: now - TTL });
  });

  it('a record is kept for the idle TTL, cut at its credential expiry, never 0', () => {
    expect(storeTtlMs({}, TTL, now)).toBe(TTL);
    expect(storeTtlMs({ expiresAt: now + 5_000 }, TTL, now)).toBe(5_000);
    expect(storeTtlMs({ expiresAt: now + 10 * TTL }, TTL, now)).toBe(TTL);
    expect(storeTtlMs({ expiresAt: now - 1 }, TTL, now)).toBe(1);
  });
});
