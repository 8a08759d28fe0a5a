// Cache races: a revocation or deactivation that arrives while a database
// read is in flight is never overwritten by that stale read, in the API key
// cache and in the V2 principal cache. The read is held after PostgreSQL
// answered (a Prisma query extension), the change lands, then the read ends.
import { ApiKeyVerifier, createMemoryEventBus, type EventBus } from '@flowpos/core';
import type { Db } from '@flowpos/db';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserPrincipals } from '../../src/mcp/auth/user-principals.ts';
import { createBusiness, createKey } from '../support/fixtures.ts';

let database: TestDatabase;
let events: EventBus;

beforeAll(async () => {
  database = await createTestDatabase('cache-races');
  events = createMemoryEventBus();
});
afterAll(async () => {
  await events?.close();
  await database?.drop();
});

/** A client whose next read of `model` pauses after the database answered, until released. */
function holdNextRead(model: 'apiKey' | 'user') {
  let arrived!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((r) => (arrived = r));
  const released = new Promise<void>((r) => (release = r));
  let armed = true;
  const hold = async ({
    args,
    query,
  }: {
    args: unknown;
    query: (a: unknown) => Promise<unknown>;
  }) => {
    const result = await query(args);
    if (armed) {
      armed = false;
      arrived();
      await released;
    }
    return result;
  };
  const db = database.prisma.$extends({
    // One model chosen at run time: Prisma's extension types want it literal.
    query: { [model]: { findUnique: hold } } as never,
  }) as unknown as Db;
  return { db, reached, release };
}

describe('cache races', () => {
  it('a key revoked while its verification read is in flight stays revoked', async () => {
    const { business } = await createBusiness(database.prisma, undefined, 0);
    const { key, row } = await createKey(database.prisma, { businessId: business.id });
    const held = holdNextRead('apiKey');
    const verifier = new ApiKeyVerifier(held.db, events, { cacheTtlMs: 60_000 });
    try {
      const inFlight = verifier.verify(key);
      await held.reached;
      // The read saw the key active; now it is revoked (database + event).
      await database.prisma.apiKey.update({
        where: { id: row.id },
        data: { isActive: false, revokedAt: new Date() },
      });
      await events.publish({ type: 'key.changed', keyId: row.id });
      held.release();
      await inFlight;
      expect(await verifier.verify(key)).toBeNull();
    } finally {
      verifier.close();
    }
  });

  it('a membership deactivated while the principal read is in flight is not cached as active', async () => {
    const { business } = await createBusiness(database.prisma, undefined, 0);
    const user = await database.prisma.user.create({
      data: {
        email: `race-${business.id}@test.flowpos`,
        firebaseUid: `race-${business.id}`,
        memberships: { create: [{ businessId: business.id, role: 'merchant' }] },
      },
    });
    const held = holdNextRead('user');
    const principals = new UserPrincipals(held.db, events, 60_000);
    try {
      const inFlight = principals.get(user.id);
      await held.reached;
      await database.prisma.businessUser.updateMany({
        where: { userId: user.id },
        data: { isActive: false },
      });
      await events.publish({ type: 'user.changed', userId: user.id });
      held.release();
      await inFlight;
      expect(await principals.get(user.id)).toBeNull();
    } finally {
      principals.close();
    }
  });

  it('without any change, the cache still answers from memory', async () => {
    const { business } = await createBusiness(database.prisma, undefined, 0);
    const { key } = await createKey(database.prisma, { businessId: business.id });
    let reads = 0;
    const counting = database.prisma.$extends({
      query: {
        apiKey: {
          findUnique: ({ args, query }) => {
            reads++;
            return query(args);
          },
        },
      },
    }) as unknown as Db;
    const verifier = new ApiKeyVerifier(counting, events, { cacheTtlMs: 60_000 });
    try {
      expect(await verifier.verify(key)).not.toBeNull();
      expect(await verifier.verify(key)).not.toBeNull();
      expect(reads).toBe(1);
    } finally {
      verifier.close();
    }
  });
});
