// The live view's sessionless clients: a 2026-07-28 client (SDK v2, version
// negotiation) shows with its credential, client name, revision, instance and
// open listen streams, to whom the sessions rules allow; cutting it off
// revokes its credential and its next call is refused with 401.
import { Client as V2Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabaseSessionStore,
  cutOffClient,
  loadActorByUserId,
  type ClientView,
  type Principal,
} from '@flowpos/core';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { waitFor } from '../../support/poll.ts';
import { dropRedisPrefix } from '../../support/reap.ts';
import { createDbUser } from '../../support/shared-services.ts';
import { startTestServer, uniquePrefix, type TestServer } from '../../support/server.ts';

const MODERN = '2026-07-28';
let db: TestDatabase;
let prefix: string;
let server: TestServer;
let bizX: Awaited<ReturnType<typeof createBusiness>>;
let bizY: Awaited<ReturnType<typeof createBusiness>>;

beforeAll(async () => {
  db = await createTestDatabase('liveclients');
  prefix = uniquePrefix('liveclients');
  server = await startTestServer({
    databaseUrl: db.url,
    redis: true,
    redisKeyPrefix: prefix,
    env: { INSTANCE_ID: 'instance-live' },
  });
  bizX = await createBusiness(db.prisma, unique('Live Cafe'));
  bizY = await createBusiness(db.prisma, unique('Other Deli'));
});

afterAll(async () => {
  await server?.close();
  await dropRedisPrefix(prefix);
  await db?.drop();
});

async function modernClient(bearer: string) {
  const transport = new StreamableHTTPClientTransport(new URL(server.mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
  });
  const client = new V2Client(
    { name: 'live-view-client', version: '3.1.4' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(transport);
  return client;
}

/** A tools/list sent by hand, claiming `version` in its header and envelope. */
const rawToolsList = (bearer: string, version: string, clientInfo: object) =>
  fetch(server.mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${bearer}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': version,
      'mcp-method': 'tools/list',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
      params: {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': version,
          'io.modelcontextprotocol/clientInfo': clientInfo,
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });

const actorFor = async (options: Parameters<typeof createDbUser>[1]) =>
  loadActorByUserId(db.prisma, (await createDbUser(db.prisma, options)).id);

describe('sessionless clients in the live view', () => {
  it('lists a 2026 client with its _meta, listen streams and instance; cutting it off makes its next call 401', async () => {
    const { key, row } = await createKey(db.prisma, { businessId: bizX.business.id });
    const credential = `key:${row.id}`;
    const operator = await actorFor({ email: `${unique('op')}@test.flowpos`, operator: true });
    const merchant = await actorFor({
      email: `${unique('merchant')}@test.flowpos`,
      memberships: [{ businessId: bizX.business.id, role: 'merchant' }],
    });
    const stranger = await actorFor({
      email: `${unique('stranger')}@test.flowpos`,
      memberships: [{ businessId: bizY.business.id, role: 'merchant' }],
    });
    const directory = server.services.core.sessions;
    const client = await modernClient(key);
    try {
      expect(client.getProtocolEra()).toBe('modern');
      await client.listTools();
      await client.listen({ toolsListChanged: true });
      let shown: ClientView | undefined;
      await waitFor(
        async () => {
          shown = (await directory.listClientsFor(operator)).items.find(
            (c) => c.credential === credential,
          );
          return shown?.listenStreams === 1;
        },
        { timeoutMs: 5_000, what: 'the 2026 client with its listen stream in the live view' },
      );
      expect(shown).toMatchObject({
        credential,
        authKind: 'V1 key',
        client: { name: 'live-view-client', version: '3.1.4' },
        protocolVersion: MODERN,
        activeBusinessId: bizX.business.id,
        instanceId: 'instance-live',
        listenStreams: 1,
      });
      // Its business's merchant sees it too; a merchant of another business does not.
      const mine = await directory.listClientsFor(merchant, { businessId: bizX.business.id });
      expect(mine.items.map((c) => c.credential)).toContain(credential);
      const theirs = await directory.listClientsFor(stranger);
      expect(theirs.items.map((c) => c.credential)).not.toContain(credential);
      // Nor can that merchant cut it off.
      await expect(cutOffClient(keyDeps(), stranger, credential)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });

      await expect(cutOffClient(keyDeps(), operator, credential)).resolves.toEqual({
        revoked: 'api_key',
      });
      expect(
        (await directory.listClientsFor(operator)).items.map((c) => c.credential),
      ).not.toContain(credential);
      const next = await rawToolsList(key, MODERN, { name: 'live-view-client', version: '3.1.4' });
      expect(next.status).toBe(401);
      // A call, not a list (the client may answer a list from its cache).
      await expect(client.callTool({ name: 'whoami', arguments: {} })).rejects.toThrow();
    } finally {
      await client.close();
    }
  });

  it('a request the server refuses for its revision leaves no client in the live view', async () => {
    const { key, row } = await createKey(db.prisma, { businessId: bizX.business.id });
    const operator = await actorFor({ email: `${unique('op3')}@test.flowpos`, operator: true });
    const claimed = '2099-01-01';
    const res = await rawToolsList(key, claimed, { name: 'never-served', version: '1' });
    expect(res.status).toBe(400);
    const listed = (await server.services.core.sessions.listClientsFor(operator)).items;
    expect(listed.find((c) => c.credential === `key:${row.id}`)).toBeUndefined();
  });

  it('a person signed in with a token is not cut off here: 400', async () => {
    const operator = await actorFor({ email: `${unique('op2')}@test.flowpos`, operator: true });
    await expect(cutOffClient(keyDeps(), operator, 'user:someone')).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('the database store (no Redis) keeps them too, per credential, until the idle TTL', async () => {
    const store = createDatabaseSessionStore(db.prisma, 60_000);
    const principal = { activeBusinessId: bizX.business.id } as unknown as Principal;
    const activity = {
      credential: `grant:${unique('g')}`,
      principal,
      client: { name: 'db-client', version: '1' },
      protocolVersion: MODERN,
      lastSeenAt: Date.now(),
      instanceId: 'one',
      listenStreams: 0,
    };
    await store.recordClient(activity);
    await store.recordClient({ ...activity, listenStreams: 2 });
    const listed = (await store.pageClients(null, 1000)).filter(
      (c) => c.credential === activity.credential,
    );
    expect(listed).toEqual([{ ...activity, listenStreams: 2 }]);
    await store.recordClient({ ...activity, credential: 'grant:idle', lastSeenAt: 0 });
    expect((await store.pageClients(null, 1000)).map((c) => c.credential)).not.toContain(
      'grant:idle',
    );
    await store.deleteClient(activity.credential);
    expect(await store.pageClients(null, 1000)).toEqual([]);
  });
});

const keyDeps = () => ({
  db: server.services.database.prisma,
  audit: server.services.core.audit,
  events: server.services.core.events,
  sessions: server.services.core.sessions,
});
