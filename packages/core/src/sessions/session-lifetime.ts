// How long an MCP session lives: the one rule, as keys/key-status.ts is for
// keys. A session is alive while a request came within the store's idle TTL
// and its credential has not expired; it is idle (gone: nobody resumes it)
// once the idle TTL passed without a request; ended once its credential's
// expiry passed, whatever its activity. The stores (memory, Redis,
// PostgreSQL), the session directory and memberships all ask here: as a
// function of a record, as a database filter, and as the Redis TTL and score
// range that say the same.
import type { SessionRecord } from './session-record.ts';

export type SessionLifetime = 'alive' | 'idle' | 'ended';

type Lived = Pick<SessionRecord, 'lastSeenAt' | 'expiresAt'>;

/** Whether a stored session is past its credential's expiry (every store checks on read). */
export function isExpired(record: Pick<SessionRecord, 'expiresAt'>, now = Date.now()): boolean {
  return record.expiresAt !== undefined && record.expiresAt <= now;
}

/** Whether something last seen at `lastSeenAt` went the whole idle TTL without a request. */
export function isIdledOut(lastSeenAt: number, idleTtlMs: number, now = Date.now()): boolean {
  return now - lastSeenAt >= idleTtlMs;
}

export function sessionLifetime(
  record: Lived,
  idleTtlMs: number,
  now = Date.now(),
): SessionLifetime {
  if (isExpired(record, now)) return 'ended';
  if (isIdledOut(record.lastSeenAt, idleTtlMs, now)) return 'idle';
  return 'alive';
}

export function isAlive(record: Lived, idleTtlMs: number, now = Date.now()): boolean {
  return sessionLifetime(record, idleTtlMs, now) === 'alive';
}

/** The last-seen time at or before which a session has idled out (exclusive bound of the alive). */
export function idleCutoff(idleTtlMs: number, now = Date.now()): number {
  return now - idleTtlMs;
}

/** The Prisma `where` (mcpSession) for sessions whose sessionLifetime is 'alive' at `now`. */
export function aliveSessionWhere(idleTtlMs: number, now = Date.now()) {
  return {
    lastSeenAt: { gt: new Date(idleCutoff(idleTtlMs, now)) },
    OR: [{ expiresAt: null }, { expiresAt: { gt: new Date(now) } }],
  };
}

/** The Prisma `where` (mcpSession) for sessions idle or ended at `now`: what a sweep deletes. */
export function deadSessionWhere(idleTtlMs: number, now = Date.now()) {
  return {
    OR: [
      { lastSeenAt: { lte: new Date(idleCutoff(idleTtlMs, now)) } },
      { expiresAt: { lte: new Date(now) } },
    ],
  };
}

/**
 * Redis: how long a store keeps a record it writes now (PX): the idle TTL, cut
 * at the credential's expiry, so that Redis drops it when it stops being alive.
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
 * holds the alive, for ZRANGEBYSCORE (`min` exclusive), and the bound at or
 * below which ZREMRANGEBYSCORE drops the idled out.
 */
export function aliveScoreRange(idleTtlMs: number, now = Date.now()) {
  const cutoff = idleCutoff(idleTtlMs, now);
  return { min: `(${cutoff}`, idledOutMax: cutoff };
}
