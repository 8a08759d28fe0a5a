// Listing sessions and sessionless clients pages through the store: every
// store kind (memory, Redis, PostgreSQL) returns pages in one order, ties on
// the last-seen time included, and a listing reads a page's worth, not all.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryEventBus } from '../../src/events.ts';
import type { Actor } from '../../src/access/actor.ts';
import type { ActivityCursor } from '../../src/sessions/activity-cursor.ts';
import type { ClientActivity } from '../../src/sessions/client-activity.ts';
import { createMemorySessionStore } from '../../src/sessions/memory-session-store.ts';
import { SessionDirectory } from '../../src/sessions/session-directory.ts';
import type { SessionRecord, SessionStore } from '../../src/sessions/session-record.ts';
import { keyPrincipal, sessionRecord } from '../support/session-records.ts';
import { everyStoreKind } from '../support/store-kinds.ts';

const TTL = 60_000;
const hex = () => randomBytes(8).toString('hex');

const session = (lastSeenAt: number, businessId = 'b1'): SessionRecord =>
  sessionRecord({
    id: hex(),
    principal: keyPrincipal(businessId),
    createdAt: lastSeenAt,
    lastSeenAt,
  });

const client = (lastSeenAt: number): ClientActivity => ({
  credential: `key:${hex()}`,
  principal: keyPrincipal('b1'),
  client: { name: 't', version: '1' },
  protocolVersion: '2026-07-28',
  lastSeenAt,
  instanceId: 'a',
  listenStreams: 0,
});

/** Most recently active first, then key descending: the order every store pages in. */
const expectedOrder = <T>(items: T[], at: (x: T) => number, key: (x: T) => string) =>
  [...items]
    .sort((x, y) => at(y) - at(x) || (key(x) < key(y) ? 1 : key(x) > key(y) ? -1 : 0))
    .map(key);

async function readAll<T>(
  read: (after: ActivityCursor | null, count: number) => Promise<T[]>,
  at: (x: T) => number,
  key: (x: T) => string,
): Promise<string[]> {
  const seen: string[] = [];
  let after: ActivityCursor | null = null;
  for (;;) {
    const page = await read(after, 3);
    expect(page.length).toBeLessThanOrEqual(3);
    seen.push(...page.map(key));
    const last = page.at(-1);
    if (!last) return seen;
    after = { lastSeenAt: at(last), key: key(last) };
  }
}

const stores = everyStoreKind('paging', TTL);

describe.each(stores)('the %s store pages', (_kind, makeStore) => {
  it('sessions in recency order, ties on the last-seen time included, each once', async () => {
    const store = makeStore();
    const now = Date.now();
    // Four sessions seen in the same millisecond straddle the page boundaries.
    const records = [now - 10, now - 20, now - 20, now - 20, now - 20, now - 30, now - 40].map(
      (at) => session(at),
    );
    for (const r of records) await store.create(r);
    const seen = await readAll(
      (after, n) => store.page(after, n),
      (r) => r.lastSeenAt,
      (r) => r.id,
    );
    const mine = new Set(records.map((r) => r.id));
    expect(seen.filter((id) => mine.has(id))).toEqual(
      expectedOrder(
        records,
        (r) => r.lastSeenAt,
        (r) => r.id,
      ),
    );
  });

  it('sessionless clients the same way', async () => {
    const store = makeStore();
    const now = Date.now();
    const clients = [now - 5, now - 15, now - 15, now - 15, now - 25].map(client);
    for (const c of clients) await store.recordClient(c);
    const seen = await readAll(
      (after, n) => store.pageClients(after, n),
      (c) => c.lastSeenAt,
      (c) => c.credential,
    );
    const mine = new Set(clients.map((c) => c.credential));
    expect(seen.filter((k) => mine.has(k))).toEqual(
      expectedOrder(
        clients,
        (c) => c.lastSeenAt,
        (c) => c.credential,
      ),
    );
  });
});

describe('SessionDirectory lists page by page', () => {
  const operator: Actor = {
    userId: 'u-op',
    email: 'op@example.com',
    isPlatformOperator: true,
    tokenGeneration: 0,
    memberships: [],
  };

  it('a small page of many sessions reads a chunk of the store, not all of it', async () => {
    const inner = createMemorySessionStore(TTL);
    let read = 0;
    const counting: SessionStore = {
      ...inner,
      page: async (after, count) => {
        const page = await inner.page(after, count);
        read += page.length;
        return page;
      },
    };
    const now = Date.now();
    for (let i = 0; i < 2_000; i++) await inner.create(session(now - i));
    const directory = new SessionDirectory(counting, createMemoryEventBus());
    const page = await directory.list({ limit: 10 });
    expect(page.items).toHaveLength(10);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(read).toBeLessThanOrEqual(250);
  });

  it('following nextCursor with a filter yields every match once, then null', async () => {
    const store = createMemorySessionStore(TTL);
    const now = Date.now();
    const wanted: string[] = [];
    for (let i = 0; i < 40; i++) {
      const r = session(now - (i % 7), i % 4 === 0 ? 'b-wanted' : 'b-other');
      if (i % 4 === 0) wanted.push(r.id);
      await store.create(r);
    }
    const directory = new SessionDirectory(store, createMemoryEventBus());
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await directory.listFor(operator, { businessId: 'b-wanted', limit: 3, cursor });
      seen.push(...page.items.map((s) => s.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen.sort()).toEqual(wanted.sort());
  });

  it('a cursor it did not write is a 400, not a 500', async () => {
    const directory = new SessionDirectory(createMemorySessionStore(TTL), createMemoryEventBus());
    for (const cursor of ['nope', Buffer.from('[1]').toString('base64url')]) {
      await expect(directory.list({ cursor })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

  it('counts live sessions per business across every page', async () => {
    const store = createMemorySessionStore(TTL);
    const now = Date.now();
    for (let i = 0; i < 600; i++) await store.create(session(now - i, i % 3 === 0 ? 'b-a' : 'b-b'));
    const counts = await new SessionDirectory(store, createMemoryEventBus()).countByBusiness();
    expect(Object.fromEntries(counts)).toEqual({ 'b-a': 200, 'b-b': 400 });
  });
});
