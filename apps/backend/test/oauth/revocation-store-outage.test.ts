// A refresh token revoked while Redis (the session store) is unreachable: the
// backend process stays up, the grant is refused at once (PostgreSQL says so),
// and the grant's sessions leave the store once Redis answers again.
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Harness } from '../support/harness.ts';
import { rawSession } from '../support/raw-http.ts';
import { authorizedTokens } from '../support/oauth-flow.ts';
import { waitFor } from '../support/poll.ts';
import { dropRedisPrefix } from '../support/reap.ts';
import { REDIS_URL, spawnBackend, uniquePrefix, type BackendProcess } from '../support/server.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

let database: TestDatabase;
let proxy: TcpProxy;
let backend: BackendProcess | undefined;
let redis: Redis;
const prefix = uniquePrefix('revokeoutage');

beforeAll(async () => {
  database = await createTestDatabase('revokeoutage');
  const target = new URL(REDIS_URL);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
  redis = new Redis(REDIS_URL);
  backend = await spawnBackend({
    databaseUrl: database.url,
    redisKeyPrefix: prefix,
    env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` },
  });
});

afterAll(async () => {
  await backend?.kill();
  await proxy?.cut().catch(() => undefined);
  redis?.disconnect();
  await dropRedisPrefix(prefix);
  await database?.drop();
});

it('revoking a refresh token with Redis cut: the process stays up; the grant’s sessions end when Redis is back', async () => {
  const server = backend!;
  // The OAuth helpers need only the server's addresses and the database.
  const h = { db: database.prisma, server } as unknown as Harness;
  const t = await authorizedTokens(h);
  const sessionId = await rawSession(server.mcpUrl, t.accessToken);
  const sessionKey = `${prefix}mcp:session:${sessionId}`;
  expect(await redis.exists(sessionKey)).toBe(1);

  await proxy.cut();
  const res = await fetch(`${server.baseUrl}/oauth/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: t.refreshToken, client_id: t.clientId }),
  });
  expect(res.status).toBe(200);
  // Either the process died of the failed session ending, or it said it will retry.
  await waitFor(
    () =>
      server.child.exitCode !== null ||
      server.output().includes('the sessions of a refused credential end when it is back'),
    { what: 'the failed session ending to be handled' },
  );
  expect(server.child.exitCode, server.output()).toBeNull();
  expect((await fetch(`${server.baseUrl}/livez`)).status).toBe(200);
  const grant = await database.prisma.oAuthGrant.findFirst({ where: { userId: t.user.id } });
  expect(grant?.revokedAt).not.toBeNull();
  // The session is still in the store while Redis is away from the backend.
  expect(await redis.exists(sessionKey)).toBe(1);

  await proxy.resume();
  await waitFor(async () => (await redis.exists(sessionKey)) === 0, {
    timeoutMs: 30_000,
    what: 'the revoked grant’s session to leave the store',
  });
  expect(server.child.exitCode).toBeNull();
});
