// A session never exceeds what its credential grants now: every request holds
// the session's stored principal to the one just authenticated. Here the
// session stores are never told of the change (as if the pub/sub message or
// the rewrite of the credential's sessions were lost), yet the next request
// narrows the session, on whichever instance it lands, and the client's GET
// stream on the other instance hears notifications/tools/list_changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Principal, type Role, type Scope } from '@flowpos/core';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { createBusiness, createKey, createUser, unique } from '../../support/fixtures.ts';
import { exchangeToken } from '../../support/raw-http.ts';
import { routingFetch } from '../../support/http-routing.ts';
import { connectClient, type ConnectedClient } from '../../support/mcp-client.ts';
import { waitFor } from '../../support/poll.ts';
import { dropRedisPrefix } from '../../support/reap.ts';
import { startTestServer, uniquePrefix, type TestServer } from '../../support/server.ts';

let db: TestDatabase;
let prefix: string;
let a: TestServer | undefined;
let b: TestServer | undefined;
const clients: ConnectedClient[] = [];
let bizX: string;
let bizY: string;

const FULL: Scope[] = ['pos:read', 'pos:intents', 'sessions:read'];
const READ_ONLY: Scope[] = ['pos:read', 'sessions:read'];

beforeAll(async () => {
  db = await createTestDatabase('currentrights');
  prefix = uniquePrefix('currentrights');
  // No key cache: the next request reads the key as the database has it now.
  const env = { KEY_CACHE_TTL_MS: '0' };
  a = await startTestServer({
    databaseUrl: db.url,
    redis: true,
    redisKeyPrefix: prefix,
    env: { ...env, INSTANCE_ID: 'instance-a' },
  });
  b = await startTestServer({
    databaseUrl: db.url,
    redis: true,
    redisKeyPrefix: prefix,
    env: { ...env, INSTANCE_ID: 'instance-b' },
  });
  bizX = (await createBusiness(db.prisma, unique('Rights X'))).business.id;
  bizY = (await createBusiness(db.prisma, unique('Rights Y'))).business.id;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  for (const server of [a, b]) await server?.services.sessions.shutdown();
  await a?.close();
  await b?.close();
  await dropRedisPrefix(prefix);
  await db?.drop();
});

const port = (server: TestServer) => Number(new URL(server.baseUrl).port);

const toolsFor = (p: Pick<Principal, 'role' | 'scopes' | 'authorizedBusinessIds'>) =>
  a!.services.core.registry
    .listFor(p)
    .map((t) => t.name)
    .sort();

const listTools = async (c: ConnectedClient) =>
  (await c.client.listTools()).tools.map((t) => t.name).sort();

const stored = async (sessionId: string) => (await a!.services.store.get(sessionId))?.principal;

/** Only the user's principal cache is told (as a membership change does); its sessions are not rewritten. */
const forgetUser = (userId: string) =>
  a!.services.core.events.publish({ type: 'user.changed', userId });

async function tokenClient(memberships: { businessId: string; role: Role }[]) {
  const user = await createUser(db.prisma, { label: 'rights', memberships });
  const exchanged = await exchangeToken(a!.baseUrl, await user.idToken());
  expect(exchanged.status).toBe(200);
  const token = (exchanged.json as { token: string }).token;
  const c = await connectClient(a!.mcpUrl, token, { name: 'rights-token' });
  clients.push(c);
  return { user, c };
}

describe('a session is held to its credential’s current rights on every request', () => {
  it('key scopes narrowed in the database, no event sent: the next request narrows the session; the GET stream on the other instance hears list_changed', async () => {
    const { key, row } = await createKey(db.prisma, { businessId: bizX, scopes: FULL });
    // POSTs go to A, the GET stream to B.
    const routing = routingFetch(
      () => port(a!),
      () => port(b!),
    );
    const c = await connectClient(a!.mcpUrl, key, { fetch: routing.fetch, name: 'rights-key' });
    clients.push(c);
    let notified = 0;
    c.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notified++;
    });
    expect(await routing.streamOpened).toBe(port(b!));
    const full = toolsFor({ role: 'merchant', scopes: FULL, authorizedBusinessIds: [bizX] });
    const readOnly = toolsFor({
      role: 'merchant',
      scopes: READ_ONLY,
      authorizedBusinessIds: [bizX],
    });
    expect(readOnly).not.toEqual(full);
    expect(await listTools(c)).toEqual(full);

    await db.prisma.apiKey.update({ where: { id: row.id }, data: { scopes: READ_ONLY } });

    expect(await listTools(c)).toEqual(readOnly);
    expect((await stored(c.sessionId))?.scopes.sort()).toEqual([...READ_ONLY].sort());
    await waitFor(async () => notified > 0, { what: 'list_changed on the GET stream (B)' });
    const narrowed = { action: 'mcp.session_narrowed', actorId: `key:${row.id}` };
    await a!.services.core.audit.flush();
    expect(await db.prisma.auditEvent.count({ where: narrowed })).toBe(1);
    // Nothing changed since: a further request neither rewrites nor audits again.
    expect(await listTools(c)).toEqual(readOnly);
    await a!.services.core.audit.flush();
    expect(await db.prisma.auditEvent.count({ where: narrowed })).toBe(1);
  });

  it('a member’s role changed from merchant to tenant_developer narrows the token session’s tools', async () => {
    const { user, c } = await tokenClient([{ businessId: bizX, role: 'merchant' }]);
    const asMerchant = toolsFor({
      role: 'merchant',
      scopes: ['pos:read', 'pos:intents', 'sessions:read'],
      authorizedBusinessIds: [bizX],
    });
    expect(await listTools(c)).toEqual(asMerchant);

    await db.prisma.businessUser.update({
      where: { businessId_userId: { businessId: bizX, userId: user.id } },
      data: { role: 'tenant_developer' },
    });
    await forgetUser(user.id);

    // Nothing rewrote the stored session: only its next request does.
    expect((await stored(c.sessionId))?.role).toBe('merchant');
    const tools = await listTools(c);
    const after = await stored(c.sessionId);
    expect(after?.role).toBe('tenant_developer');
    expect(tools).toEqual(toolsFor(after!));
    expect(tools).not.toEqual(asMerchant);
  });

  it('a membership removed from one of two businesses narrows authorizedBusinessIds; set_active_business disappears', async () => {
    const { user, c } = await tokenClient([
      { businessId: bizX, role: 'merchant' },
      { businessId: bizY, role: 'merchant' },
    ]);
    expect(await listTools(c)).toContain('set_active_business');
    const activeBefore = (await stored(c.sessionId))!.activeBusinessId;
    const kept = activeBefore === bizX ? bizY : bizX;

    // The active business is the one taken away: the session falls back to the one left.
    await db.prisma.businessUser.update({
      where: { businessId_userId: { businessId: activeBefore, userId: user.id } },
      data: { isActive: false },
    });
    await forgetUser(user.id);

    const tools = await listTools(c);
    expect(tools).not.toContain('set_active_business');
    const after = await stored(c.sessionId);
    expect(after?.authorizedBusinessIds).toEqual([kept]);
    expect(after?.activeBusinessId).toBe(kept);
  });

  it('a member left with no business: the next request ends the session, on the store too', async () => {
    const { user, c } = await tokenClient([{ businessId: bizX, role: 'merchant' }]);
    expect(await listTools(c)).toContain('whoami');
    expect(await stored(c.sessionId)).toBeDefined();

    await db.prisma.businessUser.update({
      where: { businessId_userId: { businessId: bizX, userId: user.id } },
      data: { isActive: false },
    });
    await forgetUser(user.id);

    // The token is genuine but grants nothing: 401, and its sessions end.
    await expect(listTools(c)).rejects.toThrow();
    await waitFor(async () => (await a!.services.store.get(c.sessionId)) === null, {
      what: 'the session ended in the store',
    });
  });
});
