// Test fixtures: a fresh PostgreSQL database per file, its own businesses and
// people, in-memory sessions and events, and a fake Firebase verifier that
// maps `Bearer token-<uid>` to that uid (Firebase itself is tested elsewhere).
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import {
  createAuditLog,
  createMemoryEventBus,
  createMemorySessionStore,
  POS_TOOLS,
  SessionDirectory,
  ToolRegistry,
  unauthorized,
  type DomainEvent,
  type IdTokenVerifier,
  type Principal,
  type Role,
  type SessionStore,
} from '@flowpos/core';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createCaller, createTRPCContext, type ApiServices } from '../../src/index.ts';

export interface Person {
  id: string;
  uid: string;
  email: string;
  token: string;
}

export interface World {
  db: TestDatabase;
  services: ApiServices;
  store: SessionStore;
  events: DomainEvent[];
  businessA: { id: string; name: string };
  businessB: { id: string; name: string };
  merchantA: Person;
  merchantB: Person;
  devA: Person;
  operator: Person;
  /** Merchant of A and tenant developer of B. */
  both: Person;
  /** A valid Firebase identity with no FlowPOS user. */
  stranger: Person;
  caller(person: Person | null): ReturnType<typeof createCaller>;
  person(opts: {
    operator?: boolean;
    memberships?: [businessId: string, role: Role][];
  }): Promise<Person>;
  close(): Promise<void>;
}

const fakeVerifier: IdTokenVerifier = {
  async verify(idToken) {
    const match = /^token-(.+)$/.exec(idToken);
    if (!match?.[1]) throw unauthorized('Invalid or expired Firebase ID token');
    return { uid: match[1], email: undefined, emailVerified: false };
  },
};

export async function createWorld(label: string): Promise<World> {
  const db = await createTestDatabase(label);
  const bus = createMemoryEventBus();
  const events: DomainEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const store = createMemorySessionStore(60 * 60_000);
  const services: ApiServices = {
    db: db.prisma,
    audit: createAuditLog(db.prisma, { flushIntervalMs: 5 }),
    events: bus,
    sessions: new SessionDirectory(store, bus),
    registry: new ToolRegistry(POS_TOOLS),
    verifier: fakeVerifier,
    issuer: 'http://127.0.0.1:4000',
  };
  const suffix = randomUUID().slice(0, 8);
  const businessA = await db.prisma.business.create({
    data: { name: `Alpha ${suffix}` },
    select: { id: true, name: true },
  });
  const businessB = await db.prisma.business.create({
    data: { name: `Beta ${suffix}` },
    select: { id: true, name: true },
  });

  const person: World['person'] = async ({ operator = false, memberships = [] }) => {
    const uid = `uid-${randomUUID()}`;
    const email = `${uid}@flowpos.test`;
    const user = await db.prisma.user.create({
      data: { firebaseUid: uid, email, isPlatformOperator: operator },
    });
    for (const [businessId, role] of memberships) {
      await db.prisma.businessUser.create({ data: { businessId, userId: user.id, role } });
    }
    return { id: user.id, uid, email, token: `token-${uid}` };
  };

  const world: World = {
    db,
    services,
    store,
    events,
    businessA,
    businessB,
    merchantA: await person({ memberships: [[businessA.id, 'merchant']] }),
    merchantB: await person({ memberships: [[businessB.id, 'merchant']] }),
    devA: await person({ memberships: [[businessA.id, 'tenant_developer']] }),
    operator: await person({ operator: true }),
    both: await person({
      memberships: [
        [businessA.id, 'merchant'],
        [businessB.id, 'tenant_developer'],
      ],
    }),
    stranger: {
      id: randomUUID(),
      uid: 'nobody',
      email: 'nobody@flowpos.test',
      token: 'token-nobody',
    },
    caller: (p) =>
      createCaller(
        createTRPCContext({ authorization: p ? `Bearer ${p.token}` : undefined, services }),
      ),
    person,
    async close() {
      await services.audit.close();
      await bus.close();
      await store.close();
      await db.drop();
    },
  };
  return world;
}

/** Expects the promise to fail with this tRPC code. */
export async function expectCode(
  promise: Promise<unknown>,
  code: TRPCError['code'] | TRPCError['code'][],
): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${String(code)}`).toBeInstanceOf(TRPCError);
  const trpcError = error as TRPCError;
  expect(Array.isArray(code) ? code : [code]).toContain(trpcError.code);
  return trpcError;
}

export async function openSession(
  store: SessionStore,
  principal: Principal,
  id = randomUUID(),
): Promise<string> {
  const now = Date.now();
  await store.create({
    id,
    principal,
    credential: principal.credentialId,
    initialize: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'test-client', version: '1.0.0' },
    },
    createdAt: now,
    lastSeenAt: now,
    instanceId: 'test-instance',
  });
  return id;
}
