// Two backend processes sharing PostgreSQL and Redis, no affinity: one SDK
// client whose requests alternate between them, revocation that ends a key's
// sessions on both, and the operator's view of where each session was served.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey } from '@flowpos/core';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, createUser, unique } from '../../support/fixtures.ts';
import { roundRobin, routingFetch } from '../../support/http-routing.ts';
import { connectClient, toolJson, type ConnectedClient } from '../../support/mcp-client.ts';
import { waitFor } from '../../support/poll.ts';
import { rawCall, type SessionRef } from '../../support/raw-mcp.ts';
import { dropRedisPrefix, reapOnExit } from '../../support/reap.ts';
import { freePort, spawnBackend, uniquePrefix, type BackendProcess } from '../../support/server.ts';
import {
  connectSharedServices,
  createDbUser,
  type SharedServices,
} from '../../support/shared-services.ts';

let db: TestDatabase;
let prefix: string;
let shared: SharedServices;
let a: BackendProcess | undefined;
let b: BackendProcess | undefined;
const clients: ConnectedClient[] = [];
let bizX: Awaited<ReturnType<typeof createBusiness>>;
let bizY: Awaited<ReturnType<typeof createBusiness>>;

beforeAll(async () => {
  db = await createTestDatabase('sessions2');
  prefix = uniquePrefix('two');
  const portA = await freePort();
  // Behind a load balancer both instances have one public URL (V2 token audience).
  const env = { PUBLIC_BASE_URL: `http://127.0.0.1:${portA}` };
  const started = await Promise.allSettled([
    spawnBackend({
      databaseUrl: db.url,
      redisKeyPrefix: prefix,
      port: portA,
      instanceId: 'instance-a',
      env,
    }),
    spawnBackend({ databaseUrl: db.url, redisKeyPrefix: prefix, instanceId: 'instance-b', env }),
  ]);
  a = started[0].status === 'fulfilled' ? started[0].value : undefined;
  b = started[1].status === 'fulfilled' ? started[1].value : undefined;
  for (const backend of [a, b]) if (backend) reapOnExit(backend.child);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  shared = await connectSharedServices(db.prisma, prefix);
  bizX = await createBusiness(db.prisma, unique('Xavier Cafe'));
  bizY = await createBusiness(db.prisma, unique('Yellow Deli'));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([a?.kill(), b?.kill()]);
  await shared?.close();
  await dropRedisPrefix(prefix);
  await db?.drop();
});

const ref = (c: ConnectedClient, bearer: string): SessionRef => ({
  sessionId: c.sessionId,
  bearer,
  protocolVersion: c.transport.protocolVersion ?? '2025-11-25',
});

describe('one session, two instances, no affinity', () => {
  it('serves 100 tool calls alternating between instances with 0 errors; set_active_business on one is seen by the next call on the other', async () => {
    const ports = [a!.port, b!.port];
    const user = await createUser(db.prisma, {
      label: 'two-biz',
      memberships: [
        { businessId: bizX.business.id, role: 'merchant' },
        { businessId: bizY.business.id, role: 'merchant' },
      ],
    });
    const exchanged = await fetch(`${a!.baseUrl}/mcp/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ firebaseIdToken: await user.idToken() }),
    });
    expect(exchanged.status).toBe(200);
    const { token } = (await exchanged.json()) as { token: string };

    const routing = routingFetch(roundRobin(ports));
    const c = await connectClient(a!.mcpUrl, token, { fetch: routing.fetch, name: 'round-robin' });
    clients.push(c);
    // The GET stream sits on one instance: that one re-reads a changed session
    // (keeping the stream), the other drops it from its cache.
    await routing.streamOpened;
    const names = new Map([
      [bizX.business.id, bizX.business.name],
      [bizY.business.id, bizY.business.name],
    ]);
    let expected = toolJson<{ activeBusiness: { id: string } }>(
      await c.client.callTool({ name: 'whoami', arguments: {} }),
    ).activeBusiness.id;
    const errors: string[] = [];
    let switches = 0;
    for (let i = 1; i < 100; i++) {
      try {
        if (i % 3 === 0) {
          const target = expected === bizX.business.id ? bizY.business.id : bizX.business.id;
          const result = await c.client.callTool({
            name: 'set_active_business',
            arguments: { businessId: target },
          });
          if (result.isError)
            errors.push(`call ${i}: set_active_business: ${JSON.stringify(result.content)}`);
          expected = target;
          switches++;
        } else if (i % 2 === 1) {
          const result = await c.client.callTool({ name: 'whoami', arguments: {} });
          const active = toolJson<{ activeBusiness: { id: string } }>(result).activeBusiness.id;
          if (result.isError || active !== expected)
            errors.push(`call ${i}: whoami says ${active}, expected ${expected}`);
        } else {
          const result = await c.client.callTool({ name: 'list_products', arguments: {} });
          const products = toolJson<{ products: { name: string }[] }>(result).products;
          const wrong = products.filter((p) => !p.name.startsWith(names.get(expected) as string));
          if (result.isError || products.length === 0 || wrong.length) {
            errors.push(
              `call ${i}: list_products returned ${products.map((p) => p.name).join(', ')} (active ${names.get(expected)})`,
            );
          }
        }
      } catch (error) {
        errors.push(`call ${i}: ${String(error)}`);
      }
    }
    expect(errors).toEqual([]);
    expect(c.transport.sessionId).toBe(c.sessionId);

    const calls = routing.log.filter((r) => r.rpc === 'tools/call');
    expect(calls).toHaveLength(100);
    expect(calls.every((r) => r.status === 200)).toBe(true);
    const perPort = ports.map((p) => calls.filter((r) => r.port === p).length);
    // Strict alternation: every switch was followed by a call on the other instance.
    calls.forEach((call, n) => {
      if (call.tool === 'set_active_business')
        expect(calls[n + 1]?.port ?? -1, `call after switch ${n}`).not.toBe(call.port);
    });
    expect(perPort.every((count) => count >= 49)).toBe(true);
    expect(routing.log.filter((r) => r.rpc === 'initialize')).toHaveLength(1);
    console.log(
      `[two instances] 100 tool calls (${switches} business switches): ${perPort.join(' on A, ')} on B, 0 errors`,
    );
  });

  it('revoking a key ends its sessions on both instances', async () => {
    const merchant = await createDbUser(db.prisma, {
      email: `${unique('revoker')}@test.flowpos`,
      memberships: [{ businessId: bizX.business.id, role: 'merchant' }],
    });
    const { key, row } = await createKey(db.prisma, {
      businessId: bizX.business.id,
      createdById: merchant.id,
    });
    const ports = [a!.port, b!.port];
    const c1 = await connectClient(a!.mcpUrl, key, {
      fetch: routingFetch(roundRobin(ports)).fetch,
      name: 'revoked-1',
    });
    const c2 = await connectClient(a!.mcpUrl, key, {
      fetch: routingFetch(roundRobin([b!.port, a!.port])).fetch,
      name: 'revoked-2',
    });
    clients.push(c1, c2);
    // Each session is used on both instances, so each instance caches both.
    for (const c of [c1, c2]) {
      for (let i = 0; i < 2; i++)
        expect((await c.client.callTool({ name: 'whoami', arguments: {} })).isError).toBeFalsy();
    }
    const probes = [c1, c2].flatMap((c) =>
      [a!, b!].map((instance) => ({
        instance,
        session: ref(c, key),
        label: `${c.sessionId.slice(0, 8)}@${instance.port}`,
      })),
    );
    for (const probe of probes)
      expect((await rawCall(probe.instance.mcpUrl, probe.session, 'ping')).status).toBe(200);

    const actor = await shared.actor(merchant.id);
    const refusedAt = new Map<string, { ms: number; status: number }>();
    const started = performance.now();
    const revoking = revokeApiKey(shared.keys, actor, row.id);
    await waitFor(
      async () => {
        await Promise.all(
          probes
            .filter((p) => !refusedAt.has(p.label))
            .map(async (p) => {
              const { status } = await rawCall(p.instance.mcpUrl, p.session, 'ping');
              if (status !== 200)
                refusedAt.set(p.label, { ms: performance.now() - started, status });
            }),
        );
        return refusedAt.size === probes.length;
      },
      { what: 'every session on every instance to be refused', timeoutMs: 15_000 },
    );
    await revoking;
    const worst = Math.max(...[...refusedAt.values()].map((r) => r.ms));
    console.log(
      `[two instances] revocation refused every session on every instance in ${worst.toFixed(0)} ms:`,
      Object.fromEntries(
        [...refusedAt].map(([label, r]) => [label, `${r.ms.toFixed(0)} ms → ${r.status}`]),
      ),
    );
    expect(refusedAt.size).toBe(probes.length);
    // Refused for good, and the sessions themselves are gone, not only the key.
    for (const probe of probes)
      expect([401, 404]).toContain(
        (await rawCall(probe.instance.mcpUrl, probe.session, 'ping')).status,
      );
    expect(await shared.store.get(c1.sessionId)).toBeNull();
    expect(await shared.store.get(c2.sessionId)).toBeNull();
    const listed = (await shared.directory.list()).items.map((s) => s.id);
    expect(listed).not.toContain(c1.sessionId);
    expect(listed).not.toContain(c2.sessionId);
  });

  it('an operator sees the sessions of both instances, each with the instance that last served it', async () => {
    const { key } = await createKey(db.prisma, { businessId: bizY.business.id });
    const onA = await connectClient(a!.mcpUrl, key, { name: 'pinned-a' });
    const onB = await connectClient(b!.mcpUrl, key, { name: 'pinned-b' });
    clients.push(onA, onB);
    const operator = await createDbUser(db.prisma, {
      email: `${unique('operator')}@test.flowpos`,
      operator: true,
    });
    const actor = await shared.actor(operator.id);

    const views = (await shared.directory.listFor(actor)).items;
    const viewA = views.find((v) => v.id === onA.sessionId);
    const viewB = views.find((v) => v.id === onB.sessionId);
    expect(viewA).toMatchObject({
      instanceId: 'instance-a',
      authKind: 'V1 key',
      activeBusinessId: bizY.business.id,
      client: { name: 'pinned-a' },
    });
    expect(viewB).toMatchObject({
      instanceId: 'instance-b',
      authKind: 'V1 key',
      activeBusinessId: bizY.business.id,
      client: { name: 'pinned-b' },
    });

    // The session opened on A, now served by B: the directory follows.
    expect(
      (await rawCall(b!.mcpUrl, ref(onA, key), 'tools/call', { name: 'whoami', arguments: {} }))
        .status,
    ).toBe(200);
    const moved = await waitFor(
      async () =>
        (await shared.directory.listFor(actor)).items.find(
          (v) => v.id === onA.sessionId && v.instanceId === 'instance-b',
        ),
      { timeoutMs: 3_000, what: 'session listed as served by instance-b' },
    );
    expect(moved.instanceId).toBe('instance-b');
  });
});
