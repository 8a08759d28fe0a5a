// Tool lists update live: a scope change reaches the client's open GET stream
// as notifications/tools/list_changed wherever the change is made
// and wherever the client's other requests go; a notification missed when the
// stream dropped is replayed from Redis by the other instance.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadActorByUserId,
  updateApiKeyScopes,
  type KeyServiceDeps,
  type Scope,
} from '@flowpos/core';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { routingFetch } from '../../support/http-routing.ts';
import { connectClient, type ConnectedClient } from '../../support/mcp-client.ts';
import { waitFor } from '../../support/poll.ts';
import { dropRedisPrefix } from '../../support/reap.ts';
import { openSse, type SseStream } from '../../support/raw-mcp.ts';
import { startTestServer, uniquePrefix, type TestServer } from '../../support/server.ts';
import { createDbUser } from '../../support/shared-services.ts';

let db: TestDatabase;
let prefix: string;
let a: TestServer | undefined;
let b: TestServer | undefined;
const clients: ConnectedClient[] = [];
const streams: SseStream[] = [];
let businessId: string;
let merchantId: string;

const FULL: Scope[] = ['pos:read', 'pos:intents', 'sessions:read'];
const READ_ONLY: Scope[] = ['pos:read', 'sessions:read'];

beforeAll(async () => {
  db = await createTestDatabase('sessionslist');
  prefix = uniquePrefix('listchanged');
  // Two instances of one deployment: one database, one Redis key prefix.
  const shared = { databaseUrl: db.url, redis: true, redisKeyPrefix: prefix } as const;
  a = await startTestServer({ ...shared, env: { INSTANCE_ID: 'instance-a' } });
  b = await startTestServer({ ...shared, env: { INSTANCE_ID: 'instance-b' } });
  businessId = (await createBusiness(db.prisma, unique('Live Tools Bar'))).business.id;
  merchantId = (
    await createDbUser(db.prisma, {
      email: `${unique('scopes')}@test.flowpos`,
      memberships: [{ businessId, role: 'merchant' }],
    })
  ).id;
});

afterAll(async () => {
  for (const s of streams) s.abort();
  await Promise.all(clients.map((c) => c.close()));
  await a?.close();
  await b?.close();
  await dropRedisPrefix(prefix);
  await db?.drop();
});

const port = (server: TestServer) => Number(new URL(server.baseUrl).port);

const keyDeps = (server: TestServer): KeyServiceDeps => ({
  db: server.services.database.prisma,
  audit: server.services.core.audit,
  events: server.services.core.events,
  sessions: server.services.core.sessions,
});

const expectedTools = (scopes: Scope[]) =>
  a!.services.core.registry
    .listFor({ role: 'merchant', scopes, authorizedBusinessIds: [businessId] })
    .map((t) => t.name)
    .sort();

/** A client whose GET stream goes to `getTo` and whose POSTs go to `postTo`, counting list_changed. */
async function clientWithStream(key: string, getTo: TestServer, postTo: TestServer) {
  const routing = routingFetch(
    () => port(postTo),
    () => port(getTo),
  );
  const c = await connectClient(postTo.mcpUrl, key, { fetch: routing.fetch, name: 'live-tools' });
  clients.push(c);
  const received: number[] = [];
  c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    received.push(performance.now());
  });
  expect(await routing.streamOpened).toBe(port(getTo));
  return { c, received };
}

/** Changes the key's scopes through `via`'s services; returns ms until the client got list_changed. */
async function changeScopes(via: TestServer, keyId: string, scopes: Scope[], received: number[]) {
  const actor = await loadActor();
  const before = received.length;
  const started = performance.now();
  await updateApiKeyScopes(keyDeps(via), actor, { keyId, scopes });
  await waitFor(() => received.length > before, {
    timeoutMs: 15_000,
    intervalMs: 5,
    what: 'notifications/tools/list_changed',
  });
  return (received[before] as number) - started;
}

const loadActor = () => loadActorByUserId(db.prisma, merchantId);

describe('tools/list_changed', () => {
  it('a scope change reaches the GET stream, made on the same instance or on the other one', async () => {
    const { key, row } = await createKey(db.prisma, { businessId, scopes: FULL });
    const { c, received } = await clientWithStream(key, a!, a!);
    const names = async () => (await c.client.listTools()).tools.map((t) => t.name).sort();
    expect(await names()).toEqual(expectedTools(FULL));

    const sameInstance = await changeScopes(a!, row.id, READ_ONLY, received);
    expect(await names()).toEqual(expectedTools(READ_ONLY));
    expect(expectedTools(READ_ONLY)).not.toEqual(expectedTools(FULL));

    const otherInstance = await changeScopes(b!, row.id, FULL, received);
    expect(await names()).toEqual(expectedTools(FULL));

    console.log(
      `[list_changed] stream on A: change via A ${sameInstance.toFixed(0)} ms, change via B ${otherInstance.toFixed(0)} ms`,
    );
  });

  it('with the GET stream on A and every other request on B, a change made on B still notifies, and B lists the new tools', async () => {
    const { key, row } = await createKey(db.prisma, { businessId, scopes: FULL });
    const { c, received } = await clientWithStream(key, a!, b!);
    const names = async () => (await c.client.listTools()).tools.map((t) => t.name).sort();
    expect(await names()).toEqual(expectedTools(FULL));

    const ms = await changeScopes(b!, row.id, READ_ONLY, received);
    expect(await names()).toEqual(expectedTools(READ_ONLY));
    // A tool that is no longer listed cannot be called either.
    const hidden = expectedTools(FULL).find((n) => !expectedTools(READ_ONLY).includes(n)) as string;
    const refused = await c.client.callTool({ name: hidden, arguments: {} }).then(
      (r) => Boolean(r.isError),
      () => true,
    );
    expect(refused).toBe(true);

    console.log(`[list_changed] stream on A, POSTs on B, change via B: ${ms.toFixed(0)} ms`);
  });
});

/**
 * The next tools/list_changed on `stream`. A change of tools may also change
 * the resources (the views of the tools gained or lost): those notifications
 * come on the same stream and are passed over here.
 */
async function nextToolsChanged(stream: SseStream) {
  for (;;) {
    const event = await stream.next();
    if (
      (JSON.parse(event.data) as { method?: string }).method === 'notifications/tools/list_changed'
    )
      return event;
  }
}

describe('resumable GET stream', () => {
  it('a notification the client missed when its stream dropped is replayed by the other instance (Last-Event-ID)', async () => {
    const { key, row } = await createKey(db.prisma, { businessId, scopes: FULL });
    // The SDK client initializes on A but opens no stream of its own (405): this test drives the GET stream by hand.
    const routing = routingFetch(
      () => port(a!),
      () => null,
    );
    const c = await connectClient(a!.mcpUrl, key, { fetch: routing.fetch, name: 'resumer' });
    clients.push(c);
    const session = {
      sessionId: c.sessionId,
      bearer: key,
      protocolVersion: c.transport.protocolVersion ?? '2025-11-25',
    };
    const actor = await loadActor();

    const onA = await openSse(a!.mcpUrl, session);
    streams.push(onA);
    expect(onA.status).toBe(200);
    await waitFor(
      async () =>
        (await a!.services.sessions.getSession(c.sessionId, `key:${row.id}`))?.transport
          .hasStream === true,
      { what: 'stream on A' },
    );

    await updateApiKeyScopes(keyDeps(a!), actor, { keyId: row.id, scopes: READ_ONLY });
    const first = await nextToolsChanged(onA);
    expect(first.id).toBeTruthy();

    // The second notification is sent and stored, but the client never reads it: the connection drops.
    await updateApiKeyScopes(keyDeps(a!), actor, { keyId: row.id, scopes: FULL });
    const streamKey = `${prefix}mcp:events:${c.sessionId}`;
    const redis = a!.services.redis!;
    const stored = async () =>
      (await redis.xrange(streamKey, '-', '+')).filter(([, fields]) =>
        fields.some((v) => v.includes('tools/list_changed')),
      ).length;
    await waitFor(async () => (await stored()) === 2, { what: 'second notification stored' });
    onA.abort();
    await waitFor(
      async () =>
        (await a!.services.sessions.getSession(c.sessionId, `key:${row.id}`))?.transport
          .hasStream === false,
      { what: 'stream on A closed' },
    );

    // The client reconnects its GET stream, with Last-Event-ID, on B.
    const onB = await openSse(b!.mcpUrl, session, first.id);
    streams.push(onB);
    expect(onB.status).toBe(200);
    const replayed = await nextToolsChanged(onB);
    expect(replayed.id).toBeTruthy();
    expect(replayed.id).not.toBe(first.id);

    // B now holds the stream: the next change is delivered live there.
    await waitFor(
      async () =>
        (await b!.services.sessions.getSession(c.sessionId, `key:${row.id}`))?.transport
          .hasStream === true,
      { what: 'stream on B' },
    );
    await updateApiKeyScopes(keyDeps(a!), actor, { keyId: row.id, scopes: READ_ONLY });
    await nextToolsChanged(onB);
    expect((await c.client.listTools()).tools.map((t) => t.name).sort()).toEqual(
      expectedTools(READ_ONLY),
    );
  });

  it('a dropped GET stream can be reopened on the same instance (the SDK forgets the dropped one)', async () => {
    const { key, row } = await createKey(db.prisma, { businessId, scopes: FULL });
    const routing = routingFetch(
      () => port(a!),
      () => null,
    );
    const c = await connectClient(a!.mcpUrl, key, { fetch: routing.fetch, name: 'reopener' });
    clients.push(c);
    const session = {
      sessionId: c.sessionId,
      bearer: key,
      protocolVersion: c.transport.protocolVersion ?? '2025-11-25',
    };
    const live = () => a!.services.sessions.getSession(c.sessionId, `key:${row.id}`);
    for (let round = 0; round < 2; round++) {
      // openSse resolves when the response headers arrive (before any event is sent).
      const started = performance.now();
      const stream = await openSse(a!.mcpUrl, session);
      console.log(
        `[resumable] GET stream ${round} answered in ${(performance.now() - started).toFixed(0)} ms`,
      );
      streams.push(stream);
      expect(stream.status).toBe(200);
      expect((await live())?.transport.hasStream).toBe(true);
      stream.abort();
      await waitFor(async () => (await live())?.transport.hasStream === false, {
        what: `stream ${round} closed`,
      });
    }
    // The SDK forgot the dropped stream too: a third one is accepted, not refused with 409.
    const last = await openSse(a!.mcpUrl, session);
    streams.push(last);
    expect(last.status).toBe(200);
    await updateApiKeyScopes(keyDeps(b!), await loadActor(), { keyId: row.id, scopes: READ_ONLY });
    await nextToolsChanged(last);
  });
});
