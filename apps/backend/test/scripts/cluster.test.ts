// `npm run cluster` end to end: three backends on PostgreSQL + Redis behind
// HAProxy (round robin, no affinity). Several SDK clients keep calling tools
// through the load balancer while one backend is killed with SIGKILL and
// started again: 2025-era clients (v1 SDK, sessions) and 2026-07-28 clients
// (v2 SDK, stateless). Every call succeeds (a retry on a dropped connection is
// allowed), every 2025 client keeps its session, none sees `Unknown session ID`.
import { spawn, type ChildProcess } from 'node:child_process';
import { Client as V2Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../support/fixtures.ts';
import { connectClient, toolJson, type ConnectedClient } from '../support/mcp-client.ts';
import { waitFor } from '../support/poll.ts';
import { dropRedisPrefix, reapOnExit } from '../support/reap.ts';
import { EMULATOR_HOST, freePort, REDIS_URL, uniquePrefix } from '../support/server.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');
const CLIENTS = 6;
const MODERN_CLIENTS = 2;
const CALLS_PER_PHASE = 5;

let db: TestDatabase;
let prefix: string;
let cluster: ChildProcess | undefined;
const lines: string[] = [];
let lbUrl = '';
const backendPorts: number[] = [];
const clients: ConnectedClient[] = [];
const modern: V2Client[] = [];

/** Resolves with the first output line matching `pattern` (already seen or to come). */
function lineMatching(pattern: RegExp, timeoutMs = 90_000): Promise<RegExpExecArray> {
  return waitFor(() => lines.map((l) => pattern.exec(l)).find(Boolean) ?? null, {
    timeoutMs,
    intervalMs: 50,
    what: `cluster output ${pattern}\n${lines.slice(-30).join('\n')}`,
  });
}

beforeAll(async () => {
  db = await createTestDatabase('cluster');
  prefix = uniquePrefix('cluster');
  const lbPort = await freePort();
  for (let i = 0; i < 3; i++) backendPorts.push(await freePort());
  lbUrl = `http://127.0.0.1:${lbPort}`;
  cluster = reapOnExit(
    spawn(process.execPath, ['scripts/cluster.mjs', '--instances', '3'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CLUSTER_PORT: String(lbPort),
        CLUSTER_BACKEND_PORTS: backendPorts.join(','),
        DATABASE_URL: db.url,
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST ?? EMULATOR_HOST,
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  for (const stream of [cluster.stdout, cluster.stderr])
    if (stream) createInterface({ input: stream }).on('line', (l) => lines.push(l));
  await lineMatching(/FlowPOS cluster ready: (\S+)/);
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(modern.map((c) => c.close().catch(() => undefined)));
  if (cluster && cluster.exitCode === null) {
    const exited = new Promise((r) => cluster!.once('exit', r));
    cluster.kill('SIGINT');
    await exited;
  }
  await dropRedisPrefix(prefix);
  await db?.drop();
});

/** A client's fetch that retries when the connection drops or the load balancer has no backend. */
function retryingFetch(counter: { retries: number }): typeof fetch {
  return async (input, init) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(input, init);
        if ((res.status !== 502 && res.status !== 503) || attempt === 5) return res;
        await res.arrayBuffer();
      } catch (error) {
        if (attempt === 5) throw error;
      }
      counter.retries++;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  };
}

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return res.text();
}

function counter(text: string, name: string, labels = ''): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(name) && l.includes(labels))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

describe('npm run cluster', () => {
  it('serves every call through a backend SIGKILL and restart, sessions intact', async () => {
    const { business, products } = await createBusiness(db.prisma, unique('Cluster Cantina'));
    const { key } = await createKey(db.prisma, { businessId: business.id });
    const retries = { retries: 0 };
    for (let i = 0; i < CLIENTS; i++) {
      clients.push(
        await connectClient(`${lbUrl}/mcp`, key, {
          name: `cluster-${i}`,
          fetch: retryingFetch(retries),
        }),
      );
    }
    for (let i = 0; i < MODERN_CLIENTS; i++) {
      const client = new V2Client(
        { name: `cluster-modern-${i}`, version: '2.0.0' },
        { versionNegotiation: { mode: 'auto' } },
      );
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${lbUrl}/mcp`), {
          requestInit: { headers: { Authorization: `Bearer ${key}` } },
          fetch: retryingFetch(retries),
        }),
      );
      expect(client.getProtocolEra()).toBe('modern');
      modern.push(client);
    }
    const failures: string[] = [];
    let calls = 0;
    let modernCalls = 0;
    const callModern = async (c: V2Client, n: number) => {
      try {
        const result = await c.callTool(
          n % 2 === 0
            ? { name: 'whoami', arguments: {} }
            : { name: 'get_product', arguments: { sku: products[0]!.sku } },
        );
        if (result.isError) failures.push(JSON.stringify(result.content));
        modernCalls++;
      } catch (error) {
        failures.push(String(error));
      }
    };
    const call = async (c: ConnectedClient, n: number) => {
      try {
        const result =
          n % 2 === 0
            ? await c.client.callTool({ name: 'whoami', arguments: {} })
            : await c.client.callTool({
                name: 'get_product',
                arguments: { sku: products[0]!.sku },
              });
        if (result.isError) failures.push(JSON.stringify(result.content));
        else if (n % 2 === 0 && toolJson<{ sessionId: string }>(result).sessionId !== c.sessionId)
          failures.push(`session changed for ${c.sessionId}`);
        calls++;
      } catch (error) {
        failures.push(String(error));
      }
    };
    const phase = () =>
      Promise.all([
        ...clients.map(async (c) => {
          for (let n = 0; n < CALLS_PER_PHASE; n++) await call(c, n);
        }),
        ...modern.map(async (c) => {
          for (let n = 0; n < CALLS_PER_PHASE; n++) await callModern(c, n);
        }),
      ]);

    await phase();
    expect(failures).toEqual([]);

    // Calls keep flowing while backend b2 is killed and comes back.
    let flowing = true;
    const background = Promise.all([
      ...clients.map(async (c) => {
        for (let n = 0; flowing; n++) await call(c, n);
      }),
      ...modern.map(async (c) => {
        for (let n = 0; flowing; n++) await callModern(c, n);
      }),
    ]);
    const pid = Number((await lineMatching(/\[cluster\] b2 pid=(\d+)/))[1]);
    const before = calls;
    await waitFor(() => calls >= before + CLIENTS, { what: 'calls in flight before the kill' });
    process.kill(pid, 'SIGKILL');
    await lineMatching(/\[cluster\] b2 exited \(SIGKILL\)/);
    await lineMatching(/\[cluster\] b2 ready again/);
    // b2 takes traffic again: its first requests rebuild sessions from the store.
    await waitFor(
      async () =>
        counter(await scrape(backendPorts[1]!), 'flowpos_mcp_session_rebuilds_total') >= 1,
      { timeoutMs: 30_000, what: 'the restarted backend to serve a session' },
    );
    await phase();
    flowing = false;
    await background;

    expect(failures.filter((f) => /Unknown session ID/.test(f))).toEqual([]);
    expect(failures).toEqual([]);
    // Round robin, no affinity: every backend served MCP requests.
    for (const port of backendPorts) {
      expect(
        counter(await scrape(port), 'flowpos_http_requests_total', 'route="/mcp"'),
      ).toBeGreaterThan(0);
    }
    expect(modernCalls).toBeGreaterThan(2 * MODERN_CLIENTS * CALLS_PER_PHASE);
    console.info(
      `cluster: ${calls} tool calls by ${CLIENTS} 2025-session clients and ${modernCalls} by ${MODERN_CLIENTS} 2026 stateless clients through HAProxy, 0 failed, ${retries.retries} client retries`,
    );
  });
});
