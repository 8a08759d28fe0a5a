// The embedded default (PGlite, no Redis): sessions are kept in the embedded
// database, so a backend restart does not end them. The same SDK client
// carries on after the restart with no second initialize, and its
// set_active_business choice is still in effect.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { routingFetch } from '../../support/http-routing.ts';
import { connectClient, toolJson } from '../../support/mcp-client.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

const dir = mkdtempSync(join(tmpdir(), 'flowpos-embedded-'));
const started: TestServer[] = [];

const start = async () => {
  const server = await startTestServer({
    databaseUrl: `pglite:${join(dir, 'db')}`,
    env: { MIGRATE_ON_START: 'true' },
  });
  started.push(server);
  return server;
};

afterAll(async () => {
  for (const server of started) await server.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('embedded default', () => {
  it('a 2025 session survives a backend restart', async () => {
    let current = await start();
    expect(current.services.store.kind).toBe('database');
    const db = current.services.database.prisma;
    const { business } = await createBusiness(db, unique('Embedded Cafe'));
    const { key } = await createKey(db, { businessId: business.id });

    const port = () => Number(new URL(current.baseUrl).port);
    const routing = routingFetch(port, () => null);
    const c = await connectClient(current.mcpUrl, key, { fetch: routing.fetch });
    const before = toolJson(await c.client.callTool({ name: 'whoami', arguments: {} }));
    expect(before.sessionId).toBe(c.sessionId);

    await current.close();
    current = await start();

    const after = toolJson(await c.client.callTool({ name: 'whoami', arguments: {} }));
    expect(after).toMatchObject({ sessionId: c.sessionId, activeBusiness: { id: business.id } });
    expect(routing.log.filter((r) => r.rpc === 'initialize')).toHaveLength(1);
    await c.close();
  }, 60_000);
});
