// kill -9 the backend, start a new one on the same port: the same SDK client
// continues its session with no error and no second initialize.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { routingFetch } from '../../support/http-routing.ts';
import { connectClient, toolJson, type ConnectedClient } from '../../support/mcp-client.ts';
import { waitFor } from '../../support/poll.ts';
import { dropRedisPrefix, reapOnExit } from '../../support/reap.ts';
import { freePort, spawnBackend, uniquePrefix, type BackendProcess } from '../../support/server.ts';

let db: TestDatabase;
let prefix: string;
let port: number;
const backends: BackendProcess[] = [];
let client: ConnectedClient | undefined;

beforeAll(async () => {
  db = await createTestDatabase('sessionsrestart');
  prefix = uniquePrefix('restart');
  port = await freePort();
});

afterAll(async () => {
  await client?.close();
  await Promise.all(backends.map((b) => b.kill()));
  await dropRedisPrefix(prefix);
  await db?.drop();
});

const start = async (instanceId: string) => {
  const backend = await spawnBackend({
    databaseUrl: db.url,
    redisKeyPrefix: prefix,
    port,
    instanceId,
  });
  reapOnExit(backend.child);
  backends.push(backend);
  return backend;
};

const auditCount = (action: string, sessionId: string) =>
  db.prisma.auditEvent.count({
    where: { action, details: { path: ['sessionId'], equals: sessionId } },
  });

describe('restart', () => {
  it('the same client continues its session across kill -9 and a restart: 0 errors, no re-initialize', async () => {
    const { business } = await createBusiness(db.prisma, unique('Restart Diner'));
    const { key } = await createKey(db.prisma, { businessId: business.id });
    const first = await start('first-process');
    const routing = routingFetch(() => port);
    client = await connectClient(first.mcpUrl, key, { fetch: routing.fetch, name: 'survivor' });
    const sessionId = client.sessionId;

    const errors: string[] = [];
    const call = async (label: string) => {
      try {
        const result = await client!.client.callTool({ name: 'whoami', arguments: {} });
        const who = toolJson<{ sessionId: string; activeBusiness: { id: string } }>(result);
        if (
          result.isError ||
          who.sessionId !== sessionId ||
          who.activeBusiness.id !== business.id
        ) {
          errors.push(`${label}: ${JSON.stringify(result.content)}`);
        }
      } catch (error) {
        errors.push(`${label}: ${String(error)}`);
      }
    };
    for (let i = 0; i < 5; i++) await call(`before ${i}`);
    // The first process flushes its audit every 50 ms: the session's opening is on record.
    await waitFor(async () => (await auditCount('mcp.tools_call', sessionId)) === 5, {
      what: 'first audit flush',
    });
    expect(await auditCount('mcp.session_opened', sessionId)).toBe(1);

    await first.kill();
    expect(first.child.signalCode).toBe('SIGKILL');
    await start('second-process');

    for (let i = 0; i < 20; i++) await call(`after ${i}`);
    expect(errors).toEqual([]);
    expect(client.transport.sessionId).toBe(sessionId);
    expect(routing.log.filter((r) => r.rpc === 'initialize')).toHaveLength(1);
    expect(routing.log.filter((r) => r.rpc === 'tools/call').every((r) => r.status === 200)).toBe(
      true,
    );

    // The new process served the 20 calls (its audit rows are flushed) and saw no initialize.
    await waitFor(async () => (await auditCount('mcp.tools_call', sessionId)) === 25, {
      what: 'second audit flush',
    });
    expect(await auditCount('mcp.session_opened', sessionId)).toBe(1);
    const served = await db.prisma.auditEvent.findMany({ where: { action: 'mcp.session_opened' } });
    expect(served.map((e) => (e.details as { instanceId?: string }).instanceId)).toEqual([
      'first-process',
    ]);
    console.log(
      `[restart] session ${sessionId.slice(0, 8)}: 5 calls before kill -9, 20 after restart, 0 errors, 1 initialize`,
    );
  });
});
