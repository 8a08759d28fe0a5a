// Bench section 3b: what the views (MCP Apps) cost on tools/call. In process:
// the product's own server factory (buildMcpServer) on an in-memory transport
// calls get_product, built with the views and without them, in the two shapes
// the backend uses: a 2025 session's server (every tool, prompts, resources
// and the views' ui:// resources; one server for every call) and a 2026-07-28
// request's server (built per call for the called tool only). CPU per call
// (this process, process.cpuUsage), interleaved rounds in rotating order, with
// an A/A pair (without views twice) for the floor.
import {
  buildMcpServer,
  createMemoryEventBus,
  createMemorySessionStore,
  POS_TOOLS,
  SessionDirectory,
  ToolRegistry,
  VIEW_NAMES,
  type AuditLog,
  type Principal,
} from '@flowpos/core';
import type { Database } from '@flowpos/db';
import { readBuiltViews } from '@flowpos/views';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import type { Report } from '../lib/report.ts';
import type { Settings } from '../lib/settings.ts';
import { median } from '../lib/stats.ts';

const S = '3b views on tools/call';
const NO_AUDIT: AuditLog = {
  record: () => undefined,
  committed: async () => {},
  flush: async () => {},
  close: async () => {},
};

type Target = 'views' | 'none' | 'noneB';

export async function benchViews(opts: {
  report: Report;
  settings: Settings;
  database: Database;
  businessId: string;
  sku: string;
}): Promise<void> {
  const { report, settings, database, businessId, sku } = opts;
  const registry = new ToolRegistry(POS_TOOLS);
  const validator = new AjvJsonSchemaValidator();
  const views = readBuiltViews(VIEW_NAMES);
  const principal: Principal = {
    kind: 'api_key',
    credentialId: 'key:bench-views',
    role: 'merchant',
    scopes: ['pos:read', 'pos:intents', 'sessions:read'],
    authorizedBusinessIds: [businessId],
    activeBusinessId: businessId,
    apiKeyId: 'bench-views',
    label: 'fp_mcp_bench…',
  };
  const binding = {
    sessionId: null,
    principal: () => principal,
    context: {
      db: database.prisma,
      sql: database.sql,
      sessions: new SessionDirectory(createMemorySessionStore(60_000), createMemoryEventBus()),
      consoleUrl: 'http://127.0.0.1:3000',
      updatePrincipal: async () => principal,
    },
  };
  /** A connected client on a server built as a 2025 session's or a 2026 request's. */
  const open = async (target: Target, onlyTool?: string) => {
    const built = buildMcpServer(binding, {
      registry,
      validator,
      audit: NO_AUDIT,
      ...(target === 'views' ? { views } : {}),
      ...(onlyTool ? { onlyTool } : {}),
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await built.connect(serverSide);
    const client = new Client({ name: 'bench-views', version: '1' });
    await client.connect(clientSide);
    return client;
  };
  const call = async (client: Client) => {
    const result = await client.callTool({ name: 'get_product', arguments: { sku } });
    if (result.isError) throw new Error('get_product failed in the views bench');
  };
  const calls = settings.viewCalls;
  const targets: Target[] = ['views', 'none', 'noneB'];

  for (const era of ['2025 session', '2026-07-28'] as const) {
    const sessions = new Map<Target, Client>();
    if (era === '2025 session') for (const t of targets) sessions.set(t, await open(t));
    const once = async (t: Target) => {
      const session = sessions.get(t);
      if (session) return call(session);
      const client = await open(t, 'get_product');
      await call(client);
      await client.close();
    };
    for (const t of targets) for (let i = 0; i < 50; i++) await once(t); // warm-up
    const perCall: Record<Target, number[]> = { views: [], none: [], noneB: [] };
    for (let r = 0; r < settings.rounds; r++) {
      const order = targets.map((_, i) => targets[(i + r) % targets.length] as Target);
      for (const t of order) {
        const started = process.cpuUsage();
        for (let i = 0; i < calls; i++) await once(t);
        const used = process.cpuUsage(started);
        perCall[t].push((used.user + used.system) / calls);
      }
    }
    for (const session of sessions.values()) await session.close();
    const ratio = (a: Target, b: Target) =>
      perCall[a].map((v, i) => +(v / (perCall[b][i] ?? v)).toFixed(3));
    const withViews = ratio('views', 'none');
    const aa = ratio('noneB', 'none');
    report.add({
      section: S,
      metric: `${era}: CPU per call, with views / without`,
      value: median(withViews),
      unit: '×',
      detail: `${median(perCall.views).toFixed(0)} / ${median(perCall.none).toFixed(0)} µs per call; A/A (without / without) ${median(aa).toFixed(3)}×`,
      // Nothing to tell apart: no worse than the A/A pair's worst round (+5%).
      target: 'within A/A',
      pass: median(withViews) <= Math.max(1, ...aa) + 0.05,
      rounds: withViews,
    });
  }
}
