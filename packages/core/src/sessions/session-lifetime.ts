// How long an MCP session lives: the one rule, as keys/key-status.ts is for
// keys. A session is alive while requests come (within ACTIVE_WINDOW_MS, or a
// stream is open: activity-state.ts); idle after, yet resumable; ended once
// the store's idle TTL passed without a request, or its credential expired,
// whatever its activity: no instance serves it again. The stores (memory,
// Redis, PostgreSQL) and the session directory all ask here: as a function of
// a record, as a database filter, and as the Redis TTL and score range that
// say the same.
import { activityState } from './activity-state.ts';
import type { SessionRecord } from './session-record.ts';

export type SessionLifetime = 'alive' | 'idle' | 'ended';

type Lived = Pick<SessionRecord, 'lastSeenAt' | 'expiresAt'>;

/** Whether a stored session is past its credential's expiry (every store checks on read). */
export function isExpired(record: Pick<SessionRecord, 'expiresAt'>, now = Date.now()): boolean {
  return record.expiresAt !== undefined && record.expiresAt <= now;
}

/** Whether something last seen at `lastSeenAt` went the whole idle TTL without a request. */
export function idleTtlPassed(lastSeenAt: number, idleTtlMs: number, now = Date.now()): boolean {
  return now - lastSeenAt >= idleTtlMs;
}

export function sessionLifetime(
  record: Lived,
  idleTtlMs: number,
  now = Date.now(),
  openStreams = 0,
): SessionLifetime {
  if (isExpired(record, now) || idleTtlPassed(record.lastSeenAt, idleTtlMs, now)) return 'ended';
  return activityState(record.lastSeenAt, openStreams, now) === 'active' ? 'alive' : 'idle';
}

/** Not ended: a store still serves it (alive or idle). */
export function isLive(record: Lived, idleTtlMs: number, now = Date.now()): boolean {
  return sessionLifetime(record, idleTtlMs, now) !== 'ended';
}

/** The last-seen time at or before which a session has idled out (exclusive bound of the live). */
export function idleCutoff(idleTtlMs: number, now = Date.now()): number {
  return now - idleTtlMs;
}

/** The Prisma `where` (mcpSession) for sessions not ended at `now` (isLive). */
export function liveSessionWhere(idleTtlMs: number, now = Date.now()) {
  return {
    lastSeenAt: { gt: new Date(idleCutoff(idleTtlMs, now)) },
    OR: [{ expiresAt: null }, { expiresAt: { gt: new Date(now) } }],
  };
}

/** The Prisma `where` (mcpSession) for sessions ended at `now`: what a sweep deletes. */
export function endedSessionWhere(idleTtlMs: number, now = Date.now()) {
  return {
    OR: [
      { lastSeenAt: { lte: new Date(idleCutoff(idleTtlMs, now)) } },
      { expiresAt: { lte: new Date(now) } },
    ],
  };
}

/**
 * Redis: how long a store keeps a record it writes now (PX): the idle TTL, cut
 * at the credential's expiry, so that Redis drops it when it ends.
 */
export function storeTtlMs(
  record: Pick<SessionRecord, 'expiresAt'>,
  idleTtlMs: number,
  now = Date.now(),
): number {
  return record.expiresAt === undefined
    ? idleTtlMs
    : Math.max(1, Math.min(idleTtlMs, record.expiresAt - now));
}

/**
 * Redis: the score range of an activity index (scored by last-seen time) that
 * holds the live, for ZRANGEBYSCORE (`min` exclusive), and the bound at or
 * below which ZREMRANGEBYSCORE drops those past the idle TTL.
 */
export function liveScoreRange(idleTtlMs: number, now = Date.now()) {
  const cutoff = idleCutoff(idleTtlMs, now);
  return { min: `(${cutoff}`, endedMax: cutoff };
}
