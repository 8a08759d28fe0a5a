// 2026-07-28 `subscriptions/listen` streams, held per credential: one key
// cannot take every stream of the instance, a credential's streams close when
// it is revoked, expires or loses its business, and list_changed goes only to
// the streams whose visible tools changed (another tenant's change sends nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadActorByUserId,
  resolveUserPrincipal,
  revokeApiKey,
  updateApiKeyScopes,
  type Scope,
} from '@flowpos/core';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { signerLike, type Harness } from '../../support/harness.ts';
import { authorizedTokens } from '../../support/oauth-flow.ts';
import { listenStream, type Listening } from '../../support/listen-stream.ts';
import { waitFor } from '../../support/poll.ts';
import { createDbUser } from '../../support/shared-services.ts';
import { startTestServer, uniquePrefix, type TestServer } from '../../support/server.ts';

const PER_CREDENTIAL = 2;
const PER_BUSINESS = 3;
let db: TestDatabase;
let server: TestServer;
const streams: Listening[] = [];

beforeAll(async () => {
  db = await createTestDatabase('listenstreams');
  server = await startTestServer({
    databaseUrl: db.url,
    redis: true,
    redisKeyPrefix: uniquePrefix('listenstreams'),
    env: {
      MCP_MAX_LISTEN_STREAMS: '4',
      MCP_MAX_LISTEN_STREAMS_PER_CREDENTIAL: String(PER_CREDENTIAL),
      MCP_MAX_LISTEN_STREAMS_PER_BUSINESS: String(PER_BUSINESS),
    },
  });
});

afterAll(async () => {
  for (const s of streams) s.close();
  await server?.services.sessions.shutdown();
  const closing = server?.close();
  server?.app.server.closeAllConnections();
  await closing;
  await db?.drop();
});

const listen = (bearer: string) =>
  listenStream(server.mcpUrl, bearer, (stream) => streams.push(stream));

const count = (l: Listening, method: string) =>
  l.messages.filter((m) => m.method === method).length;

async function tenant(label: string) {
  const { business } = await createBusiness(db.prisma, unique(label));
  const owner = await createDbUser(db.prisma, {
    email: `${unique(`${label}-owner`)}@test.flowpos`,
    memberships: [{ businessId: business.id, role: 'merchant' }],
  });
  const keyDeps = () => ({
    db: server.services.database.prisma,
    audit: server.services.core.audit,
    events: server.services.core.events,
    sessions: server.services.core.sessions,
  });
  return {
    business,
    owner,
    createKey: (options: { scopes?: Scope[]; expiresAt?: Date } = {}) =>
      createKey(db.prisma, { businessId: business.id, ...options }),
    setScopes: async (keyId: string, scopes: Scope[]) =>
      updateApiKeyScopes(keyDeps(), await loadActorByUserId(db.prisma, owner.id), {
        keyId,
        scopes,
      }),
    revoke: async (keyId: string) =>
      revokeApiKey(keyDeps(), await loadActorByUserId(db.prisma, owner.id), keyId),
  };
}

describe('subscriptions/listen streams per credential', () => {
  it('one key holds at most its share (429 beyond); another business still gets a stream; revoking the key closes its streams', async () => {
    const a = await tenant('Listen A');
    const b = await tenant('Listen B');
    const { key: keyA, row: rowA } = await a.createKey();
    const { key: keyB } = await b.createKey();

    const held = [];
    for (let i = 0; i < PER_CREDENTIAL; i++) held.push(await listen(keyA));
    expect(held.every((l) => l.acknowledged)).toBe(true);
    const refused = await listen(keyA);
    expect(refused.status).toBe(429);
    expect(refused.messages[0]?.error?.message).toMatch(/too many subscriptions\/listen streams/i);

    const other = await listen(keyB);
    expect(other.acknowledged).toBe(true);

    await a.revoke(rowA.id);
    await Promise.all(held.map((l) => l.ended));
    // The revoked key's share is free again; B's stream is untouched.
    await waitFor(() => server.services.requests.listenStreams.openCount === 1, {
      what: 'the revoked key’s streams to be released',
    });
    expect(other.messages.some((m) => m.error)).toBe(false);
    other.close();
    await other.ended;
  });

  it('the keys of one business together hold at most the business’s share', async () => {
    const c = await tenant('Listen C');
    const { key: first } = await c.createKey();
    const { key: second } = await c.createKey();
    const held = [await listen(first), await listen(first), await listen(second)];
    expect(held.every((l) => l.acknowledged)).toBe(true);
    const refused = await listen(second);
    expect(refused.status).toBe(429);
    expect(refused.messages[0]?.error?.message).toMatch(/for this business/i);
    for (const l of held) l.close();
    await Promise.all(held.map((l) => l.ended));
    await waitFor(() => server.services.requests.listenStreams.openCount === 0, {
      what: 'the closed streams to be released',
    });
  });

  it('a member’s token stream closes when their last membership is turned off', async () => {
    const d = await tenant('Listen D');
    const { token } = await signerLike(server.services).sign({
      sub: d.owner.id,
      email: d.owner.email,
      role: 'merchant',
      businessIds: [d.business.id],
    });
    const stream = await listen(token);
    expect(stream.acknowledged).toBe(true);
    await db.prisma.businessUser.updateMany({
      where: { userId: d.owner.id },
      data: { isActive: false },
    });
    await server.services.core.events.publish({ type: 'user.changed', userId: d.owner.id });
    await stream.ended;
  });

  it('a connector’s stream closes when its OAuth grant is revoked', async () => {
    // The OAuth helpers need only the server and the database.
    const h = { db: db.prisma, server } as unknown as Harness;
    const t = await authorizedTokens(h);
    const stream = await listen(t.accessToken);
    expect(stream.acknowledged).toBe(true);
    const res = await fetch(`${server.baseUrl}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: t.refreshToken, client_id: t.clientId }),
    });
    expect(res.status).toBe(200);
    await stream.ended;
  });

  it('a key’s streams close when it expires', async () => {
    const a = await tenant('Listen Expiry');
    const { key } = await a.createKey({ expiresAt: new Date(Date.now() + 1_500) });
    const stream = await listen(key);
    expect(stream.acknowledged).toBe(true);
    await waitFor(async () => await Promise.race([stream.ended.then(() => true), sleepFalse()]), {
      timeoutMs: 20_000,
      what: 'the expired key’s stream to end',
    });
  });

  it('a scope change notifies only the streams of that key; another tenant’s stream hears only its own change', async () => {
    const a = await tenant('Notify A');
    const b = await tenant('Notify B');
    const full: Scope[] = ['pos:read', 'pos:intents', 'sessions:read'];
    const { key: keyA, row: rowA } = await a.createKey({ scopes: full });
    const { key: keyB, row: rowB } = await b.createKey({ scopes: full });
    const onA = await listen(keyA);
    const onB = await listen(keyB);
    expect(onA.acknowledged && onB.acknowledged).toBe(true);
    const TOOLS = 'notifications/tools/list_changed';

    await a.setScopes(rowA.id, ['pos:read', 'sessions:read']);
    await waitFor(() => count(onA, TOOLS) === 1, { what: 'list_changed on A’s stream' });
    // Scopes rewritten to the same visible tools: nothing to tell.
    await b.setScopes(rowB.id, [...full].reverse());
    await b.setScopes(rowB.id, ['sessions:read']);
    await waitFor(() => count(onB, TOOLS) >= 1, { what: 'list_changed on B’s stream' });
    // B heard its own change once, none of A's; losing pos:read also changed B's prompts.
    expect(count(onB, TOOLS)).toBe(1);
    expect(count(onB, 'notifications/prompts/list_changed')).toBe(1);
    expect(count(onA, TOOLS)).toBe(1);
    onA.close();
    onB.close();
  });

  it('a stream is checked with the business its client chose: a change that is none for it sends nothing', async () => {
    // Merchant in one business, developer in the other: the tools differ by business.
    const { business: first } = await createBusiness(db.prisma, unique('Chosen A'));
    const { business: second } = await createBusiness(db.prisma, unique('Chosen B'));
    const user = await createDbUser(db.prisma, {
      email: `${unique('chooser')}@test.flowpos`,
      memberships: [
        { businessId: first.id, role: 'merchant' },
        { businessId: second.id, role: 'tenant_developer' },
      ],
    });
    const standing = await resolveUserPrincipal(db.prisma, user.id);
    const chosen = standing.activeBusinessId === first.id ? second.id : first.id;
    // What set_active_business remembers for the credential.
    await server.services.store.setActiveBusiness(`user:${user.id}`, chosen);
    const { token } = await signerLike(server.services).sign({
      sub: user.id,
      email: user.email,
      role: 'merchant',
      businessIds: [first.id, second.id],
    });
    const stream = await listen(token);
    expect(stream.acknowledged).toBe(true);
    // Rights unchanged: a check of the stream finds the same tools for the chosen business.
    await server.services.core.events.publish({ type: 'user.changed', userId: user.id });
    // Then the person loses both businesses: the stream ends, having been told nothing before.
    await db.prisma.businessUser.updateMany({
      where: { userId: user.id },
      data: { isActive: false },
    });
    await server.services.core.events.publish({ type: 'user.changed', userId: user.id });
    await stream.ended;
    expect(count(stream, 'notifications/tools/list_changed')).toBe(0);
  });
});

const sleepFalse = () => new Promise<false>((r) => setTimeout(() => r(false), 200));
