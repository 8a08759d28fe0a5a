// Lists of sessions and sessionless clients a page at a time: a store read
// chunk by chunk in recency order, filtered, with a cursor to go on from.
import type { Principal } from '../principal.ts';
import {
  DEFAULT_SESSION_LIMIT,
  MAX_SESSION_LIMIT,
  type SessionFilter,
} from '../schemas/sessions.ts';
import { decodeCursor, encodeCursor, type ActivityCursor } from './activity-cursor.ts';
import type { ClientActivity } from './client-activity.ts';
import type { SessionRecord } from './session-record.ts';
import type { SessionView } from './session-views.ts';

export interface Page<T> {
  items: T[];
  /** Where the next page starts; null when the store has no more. */
  nextCursor: string | null;
}

export type SessionPage = Page<SessionView>;

/** Records read from the store per round trip while a page fills. */
export const SCAN_CHUNK = 250;
/**
 * Records one call reads at most: a filter few sessions match answers with
 * what it found so far and a cursor to go on from, instead of reading the store whole.
 */
export const MAX_SCANNED_PER_PAGE = 5_000;

export const clampLimit = (limit: number | undefined) =>
  Math.min(Math.max(limit ?? DEFAULT_SESSION_LIMIT, 1), MAX_SESSION_LIMIT);

/**
 * Fills one page from a store read chunk by chunk in recency order: keeps what
 * `keep` accepts, stops at `limit` kept or MAX_SCANNED_PER_PAGE read.
 */
export async function fillPage<R>(
  read: (after: ActivityCursor | null, count: number) => Promise<R[]>,
  cursorOf: (record: R) => ActivityCursor,
  keep: (record: R) => boolean,
  limit: number,
  cursor: string | undefined,
): Promise<Page<R>> {
  let after = cursor ? decodeCursor(cursor) : null;
  const items: R[] = [];
  for (let scanned = 0; scanned < MAX_SCANNED_PER_PAGE;) {
    const chunk = await read(after, SCAN_CHUNK);
    scanned += chunk.length;
    for (const [i, record] of chunk.entries()) {
      after = cursorOf(record);
      if (!keep(record)) continue;
      items.push(record);
      if (items.length === limit) {
        const last = chunk.length < SCAN_CHUNK && i === chunk.length - 1;
        return { items, nextCursor: last ? null : encodeCursor(after) };
      }
    }
    if (chunk.length < SCAN_CHUNK) return { items, nextCursor: null };
  }
  return { items, nextCursor: after ? encodeCursor(after) : null };
}

export const sessionCursor = (r: SessionRecord): ActivityCursor => ({
  lastSeenAt: r.lastSeenAt,
  key: r.id,
});
export const clientCursor = (c: ClientActivity): ActivityCursor => ({
  lastSeenAt: c.lastSeenAt,
  key: c.credential,
});

export function matchesFilter(r: { principal: Principal }, filter: SessionFilter): boolean {
  if (filter.businessId && r.principal.activeBusinessId !== filter.businessId) return false;
  if (filter.role && r.principal.role !== filter.role) return false;
  if (filter.authKind && r.principal.kind !== filter.authKind) return false;
  return true;
}
