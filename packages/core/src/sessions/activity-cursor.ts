// Paging through live sessions and sessionless clients, most recently active
// first: a cursor names the last entry of a page (its last-seen time and its
// key, which breaks ties), so the next page starts right after it whatever
// was added before it meanwhile. Entries touched between two pages move to the
// front: a live list is a snapshot per page, not across pages.
import { badRequest } from '../errors.ts';

export interface ActivityCursor {
  lastSeenAt: number;
  /** The session id, or the client's credential. */
  key: string;
}

/** Whether an entry comes after the cursor in the order (lastSeenAt desc, key desc). */
export function isAfterCursor(
  cursor: ActivityCursor | null,
  lastSeenAt: number,
  key: string,
): boolean {
  if (!cursor) return true;
  return lastSeenAt < cursor.lastSeenAt || (lastSeenAt === cursor.lastSeenAt && key < cursor.key);
}

/** The order pages follow: most recently active first, then key descending. */
export function byRecency(
  a: { lastSeenAt: number; key: string },
  b: { lastSeenAt: number; key: string },
): number {
  if (a.lastSeenAt !== b.lastSeenAt) return b.lastSeenAt - a.lastSeenAt;
  return a.key < b.key ? 1 : a.key > b.key ? -1 : 0;
}

export function encodeCursor(cursor: ActivityCursor): string {
  return Buffer.from(JSON.stringify([cursor.lastSeenAt, cursor.key])).toString('base64url');
}

/** Reads a cursor a client sent back; anything else is a 400. */
export function decodeCursor(text: string): ActivityCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      value[1].length <= 300
    ) {
      return { lastSeenAt: value[0] as number, key: value[1] };
    }
  } catch {
    // Falls through to the one answer for every malformed cursor.
  }
  throw badRequest('Invalid cursor: pass back the nextCursor of a previous page');
}
