// Probes and request ids: /livez answers while the process runs, /readyz says
// 503 as soon as PostgreSQL or Redis stops answering (and 200 again when it
// comes back), and every response and log line carries the request's id,
// the load balancer's when it sent one.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../support/fixtures.ts';
import { waitFor } from '../support/poll.ts';
import { rawInitialize } from '../support/raw-mcp.ts';
import { startRedisProcess, type RedisProcess } from '../support/redis-process.ts';
import { startTestServer, uniquePrefix, type TestServer } from '../support/server.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

let db: TestDatabase;
let redis: RedisProcess | undefined;
let pgProxy: TcpProxy | undefined;
let server: TestServer | undefined;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  db = await createTestDatabase('healthlogs');
  redis = await startRedisProcess();
  const url = new URL(db.url);
  pgProxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
  url.host = `127.0.0.1:${pgProxy.port}`;
  server = await startTestServer({
    databaseUrl: url.toString(),
    redis: true,
    redisUrl: redis.url,
    redisKeyPrefix: uniquePrefix('healthlogs'),
    env: { LOG_LEVEL: 'info', LOG_REQUESTS: 'true' },
    logStream: new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean))
          logLines.push(JSON.parse(line));
        done();
      },
    }),
  });
});

afterAll(async () => {
  await server?.close();
  await redis?.kill();
  await pgProxy?.cut();
  await db?.drop();
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${server!.baseUrl}${path}`, { headers });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
};

describe('request ids', () => {
  it('keeps the load balancer id on the response and on every log line of the request', async () => {
    const { business } = await createBusiness(db.prisma, unique('Request Id Cafe'));
    const { key } = await createKey(db.prisma, { businessId: business.id });
    const before = logLines.length;
    const res = await rawInitialize(server!.mcpUrl, key, { 'x-request-id': 'lb-7f3a9c' });
    expect(res.status).toBe(200);
    expect(res.requestId).toBe('lb-7f3a9c');
    await waitFor(() => logLines.length > before, { what: 'the request log line' });
    const lines = logLines.slice(before);
    expect(lines.every((l) => l.requestId === 'lb-7f3a9c')).toBe(true);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request', route: '/mcp', status: 200, method: 'POST' }),
    );
    expect(JSON.stringify(lines)).not.toContain(key);
  });

  it('makes one up when the request has none or an unusable one, and answers with it', async () => {
    const none = await get('/livez');
    const fresh = none.headers.get('x-request-id');
    expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
    const junk = await get('/livez', { 'x-request-id': 'a b\tc'.repeat(3) });
    expect(junk.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(junk.headers.get('x-request-id')).not.toBe(fresh);
    await waitFor(() => logLines.some((l) => l.requestId === fresh), { what: 'a log line' });
  });

  it('carries it on refusals too', async () => {
    const refused = await rawInitialize(server!.mcpUrl, 'fp_mcp_not-a-key', {
      'x-request-id': 'lb-refused',
    });
    expect(refused.status).toBe(401);
    expect(refused.requestId).toBe('lb-refused');
  });
});

describe('probes', () => {
  it('are 200 while PostgreSQL and Redis answer', async () => {
    expect(await get('/livez')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await get('/readyz')).toMatchObject({
      status: 200,
      body: { status: 'ready', database: 'ok', redis: 'ok' },
    });
    expect(await get('/healthz')).toMatchObject({
      status: 200,
      body: { database: 'ok', redis: 'ok' },
    });
  });

  it('/readyz is 503 while Redis is down and 200 once it is back; /livez stays 200', async () => {
    await redis!.kill();
    expect(await get('/readyz')).toMatchObject({
      status: 503,
      body: { status: 'unavailable', database: 'ok', redis: 'down' },
    });
    expect((await get('/livez')).status).toBe(200);
    await redis!.restart();
    await waitFor(async () => (await get('/readyz')).status === 200, {
      what: '/readyz to recover with Redis',
    });
  });

  it('/readyz is 503 when PostgreSQL stops answering; /livez stays 200', async () => {
    await pgProxy!.cut();
    expect(await get('/readyz')).toMatchObject({
      status: 503,
      body: { status: 'unavailable', database: 'down', redis: 'ok' },
    });
    expect((await get('/healthz')).status).toBe(503);
    expect((await get('/livez')).status).toBe(200);
  });
});
