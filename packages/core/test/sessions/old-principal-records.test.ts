// During and after a rolling deploy, Redis and the database hold sessions and
// sessionless clients written by the version before `Principal.subject` was
// renamed `credentialId`: each store reads them in the current shape. What
// this version writes keeps `subject` too, for the older instances still
// running. The old records are written here as that version wrote them.
import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/principal.ts';
import { createDatabaseSessionStore } from '../../src/sessions/database-session-store.ts';
import { createRedisSessionStore } from '../../src/sessions/redis-session-store.ts';
import {
  principalToStore,
  storedPrincipal,
  type SessionStore,
} from '../../src/sessions/session-record.ts';
import { keyPrincipal, sessionRecord } from '../support/session-records.ts';

const TTL = 60_000;
const hex = () => randomBytes(6).toString('hex');
const prefix = `fp:test:${process.env.TEST_RUN_ID ?? 'local'}:old-shape:${hex()}:`;
let redis: Redis;
let db: TestDatabase;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  db = await createTestDatabase('old-principal');
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await db?.drop();
});

/** A principal as the older version wrote it: `subject`, no `credentialId`. */
function oldShape(credential: string) {
  const { credentialId: _dropped, ...rest } = keyPrincipal('b1');
  return { ...rest, subject: credential };
}

const oldClient = (credential: string) => ({
  credential,
  principal: oldShape(credential),
  client: { name: 'old', version: '1' },
  protocolVersion: '2026-07-28',
  lastSeenAt: Date.now(),
  instanceId: 'a',
  listenStreams: 0,
});

/** Each shared store with a way to write a record exactly as the older version did. */
const stores: [
  string,
  {
    make: () => SessionStore;
    writeOldSession: (id: string, credential: string) => Promise<void>;
    writeOldClient: (credential: string) => Promise<void>;
  },
][] = [
  [
    'redis',
    {
      make: () => createRedisSessionStore(redis, { prefix, idleTtlMs: TTL }),
      async writeOldSession(id, credential) {
        const record = { ...sessionRecord({ id, credential }), principal: oldShape(credential) };
        await redis
          .multi()
          .set(`${prefix}mcp:session:${id}`, JSON.stringify(record), 'PX', TTL)
          .zadd(`${prefix}mcp:sessions`, record.lastSeenAt, id)
          .sadd(`${prefix}mcp:credential:${credential}`, id)
          .exec();
      },
      async writeOldClient(credential) {
        const activity = oldClient(credential);
        await redis
          .multi()
          .set(`${prefix}mcp:client:${credential}`, JSON.stringify(activity), 'PX', TTL)
          .zadd(`${prefix}mcp:clients`, activity.lastSeenAt, credential)
          .exec();
      },
    },
  ],
  [
    'database',
    {
      make: () => createDatabaseSessionStore(db.prisma, TTL),
      async writeOldSession(id, credential) {
        const { initialize, createdAt, lastSeenAt } = sessionRecord();
        await db.prisma.mcpSession.create({
          data: {
            id,
            credential,
            record: JSON.parse(
              JSON.stringify({ principal: oldShape(credential), initialize, createdAt }),
            ) as object,
            lastSeenAt: new Date(lastSeenAt),
            instanceId: 'a',
          },
        });
      },
      async writeOldClient(credential) {
        const activity = oldClient(credential);
        await db.prisma.mcpClient.create({
          data: {
            credential,
            record: JSON.parse(JSON.stringify(activity)) as object,
            lastSeenAt: new Date(activity.lastSeenAt),
          },
        });
      },
    },
  ],
];

describe('storedPrincipal', () => {
  it('reads subject as credentialId, and a current principal as it is', () => {
    const old = oldShape('key:k9') as unknown as Principal;
    expect(storedPrincipal(old)).toEqual({ ...keyPrincipal('b1'), credentialId: 'key:k9' });
    const current = keyPrincipal('b1');
    expect(storedPrincipal(current)).toEqual(current);
    expect(storedPrincipal(principalToStore(current))).toEqual(current);
  });
});

describe.each(stores)('the %s store', (_kind, { make, writeOldSession, writeOldClient }) => {
  it('reads a session the older version wrote, and rewrites it in the new shape', async () => {
    const store = make();
    const id = randomUUID();
    const credential = `key:${hex()}`;
    await writeOldSession(id, credential);

    const read = await store.get(id);
    expect(read?.principal.credentialId).toBe(credential);
    expect(read?.principal).not.toHaveProperty('subject');
    const listed = (await store.page(null, 1000)).find((r) => r.id === id);
    expect(listed?.principal.credentialId).toBe(credential);

    await store.updatePrincipal(id, (p) => ({ ...p, scopes: [] }));
    expect((await store.get(id))?.principal).toEqual({
      ...keyPrincipal('b1'),
      credentialId: credential,
      scopes: [],
    });
  });

  it('reads a sessionless client the older version wrote', async () => {
    const store = make();
    const credential = `key:${hex()}`;
    await writeOldClient(credential);

    const read = (await store.pageClients(null, 1000)).find((c) => c.credential === credential);
    expect(read?.principal.credentialId).toBe(credential);
  });
});

describe('what this version writes', () => {
  it('keeps subject beside credentialId, for instances of the older version', async () => {
    const store = createRedisSessionStore(redis, { prefix, idleTtlMs: TTL });
    const record = sessionRecord({ credential: 'key:k1' });
    await store.create(record);
    await store.updatePrincipal(record.id, (p) => ({ ...p, scopes: [] }));

    const raw = JSON.parse((await redis.get(`${prefix}mcp:session:${record.id}`)) ?? '{}');
    expect(raw.principal).toMatchObject({ credentialId: 'key:k1', subject: 'key:k1', scopes: [] });
    expect((await store.get(record.id))?.principal).not.toHaveProperty('subject');
  });
});
