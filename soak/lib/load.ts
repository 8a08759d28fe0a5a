// The soak's steady mixed load, each lane a loop until `running()` is false:
//   2025   SDK v1 clients (sessions) with their GET streams, API key;
//   2026   SDK v2 clients (stateless), API key, V2 MCP token or OAuth grant,
//          beside subscriptions/listen streams held open and opened again when they end;
//   proposal  create_refund_intent with an idempotency key, retried with the
//          same key until answered, then approved in the console (tRPC);
//   console   tRPC reads (intents.list) with a Firebase ID token.
import { randomUUID } from 'node:crypto';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  Client as V2Client,
  StreamableHTTPClientTransport as V2Transport,
} from '@modelcontextprotocol/client';
import type { CallSample } from './figures.ts';
import { callScope, soakFetch, type Recorder } from './client-fetch.ts';

/** A call that has not answered after this long is a hang. */
export const HANG_MS = 45_000;

export interface LoadContext {
  mcpUrl: string;
  baseUrl: string;
  rec: Recorder;
  samples: CallSample[];
  running(): boolean;
  sku: string;
}

class Hang extends Error {}

interface Verdict {
  ok: boolean;
  audited: boolean;
  cause?: string;
}

/** A tools/call answered: an audit event is owed whether the tool succeeded or not. */
const toolVerdict = (result: unknown): Verdict =>
  (result as { isError?: boolean }).isError
    ? {
        ok: false,
        audited: true,
        cause: /unavailable/i.test(JSON.stringify(result))
          ? 'tool error: unavailable'
          : 'tool error',
      }
    : { ok: true, audited: true };
const consoleVerdict = (res: unknown): Verdict =>
  (res as Response).ok || (res as Response).status === 409
    ? { ok: true, audited: false }
    : { ok: false, audited: false, cause: `console ${(res as Response).status}` };

async function timed<T>(
  ctx: LoadContext,
  lane: string,
  run: () => Promise<T>,
  judge: (v: T) => Verdict,
) {
  const startMs = ctx.rec.now();
  let timer: NodeJS.Timeout | undefined;
  const scope: { requestId?: string } = {};
  const id = () => (scope.requestId ? { requestId: scope.requestId } : {});
  try {
    const value = await Promise.race([
      callScope.run(scope, run),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Hang('hang')), HANG_MS);
      }),
    ]);
    const verdict = judge(value);
    ctx.samples.push({ lane, startMs, endMs: ctx.rec.now(), ...verdict, ...id() });
    return value;
  } catch (error) {
    ctx.samples.push({
      lane,
      startMs,
      endMs: ctx.rec.now(),
      ok: false,
      cause: causeOf(error),
      detail: String(error).slice(0, 200),
      ...id(),
    });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** A short failure category for the table. */
export function causeOf(error: unknown): string {
  if (error instanceof Hang) return 'hang';
  const text = String(
    error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : error,
  );
  if (/Unknown session ID/i.test(text)) return 'session lost';
  if (/\b503\b|unavailable/i.test(text)) return '503 unavailable';
  if (/\b401\b|Authentication required|invalid_token/i.test(text)) return '401';
  if (/\b429\b/.test(text)) return '429';
  if (/\b5\d\d\b/.test(text)) return '5xx';
  if (/fetch failed|ECONNRE|socket|terminated|closed/i.test(text)) return 'connection';
  if (/tool error/i.test(text)) return 'tool error';
  return 'other';
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openV1(ctx: LoadContext, bearer: string, name: string) {
  const transport = new V1Transport(new URL(ctx.mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    fetch: soakFetch(ctx.rec),
    reconnectionOptions: {
      initialReconnectionDelay: 200,
      maxReconnectionDelay: 2_000,
      reconnectionDelayGrowFactor: 1.5,
      maxRetries: 1_000,
    },
  });
  const client = new V1Client({ name, version: '1.0.0' });
  client.onerror = () => undefined;
  await client.connect(transport);
  return client;
}

/** The calls a client lane makes: get_product and whoami in turn. */
const laneCall = (ctx: LoadContext, n: number) =>
  n % 2 ? { name: 'get_product', arguments: { sku: ctx.sku } } : { name: 'whoami', arguments: {} };

interface LaneClient {
  callTool(params: ReturnType<typeof laneCall>): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Tool calls on one client until the soak ends; `lost` says which failure
 * means the client is gone (opened again on the next turn).
 */
async function clientLane(
  ctx: LoadContext,
  lane: string,
  open: () => Promise<LaneClient>,
  lost: (error: unknown) => boolean,
) {
  let client: LaneClient | undefined;
  for (let n = 0; ctx.running(); n++) {
    try {
      client ??= await open();
      const c = client;
      await timed(ctx, lane, () => c.callTool(laneCall(ctx, n)), toolVerdict);
    } catch (error) {
      if (lost(error)) {
        await client?.close().catch(() => undefined);
        client = undefined;
      }
      await pause(200);
    }
    await pause(100);
  }
  await client?.close().catch(() => undefined);
}

/** A 2025 session: tool calls on it, its GET stream held by the SDK; a new session when it is lost. */
export function sessionLane(ctx: LoadContext, bearer: string, name: string) {
  return clientLane(
    ctx,
    '2025',
    () => openV1(ctx, bearer, name),
    (error) => {
      if (!/Unknown session ID/i.test(String(error))) return false;
      ctx.rec.marks.sessionsLost.push(ctx.rec.now());
      return true;
    },
  );
}

async function openV2(ctx: LoadContext, bearer: () => string, name: string) {
  const client = new V2Client({ name, version: '2.0.0' }, { versionNegotiation: { mode: 'auto' } });
  const base = soakFetch(ctx.rec);
  await client.connect(
    new V2Transport(new URL(ctx.mcpUrl), {
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('Authorization', `Bearer ${bearer()}`);
        return base(input, { ...init, headers });
      },
    }),
  );
  return client;
}

/** 2026-07-28 stateless calls: the client is kept whatever fails (no session to lose). */
export function statelessLane(ctx: LoadContext, bearer: () => string, name: string) {
  return clientLane(
    ctx,
    '2026',
    () => openV2(ctx, bearer, name),
    () => false,
  );
}

/**
 * Proposals: each a refund of 1 cent with its own idempotency key, sent again
 * with the same key until answered; then approved in the console, again until
 * answered. The figures' checks then find one intent per key and refunds
 * within the order.
 */
export async function proposalLane(
  ctx: LoadContext,
  bearer: () => string,
  orderId: string,
  approve: (intentId: string) => Promise<Response>,
) {
  let client: V2Client | undefined;
  while (ctx.running()) {
    const key = randomUUID();
    let intentId: string | undefined;
    const until = Date.now() + 60_000;
    while (!intentId && Date.now() < until) {
      try {
        client ??= await openV2(ctx, bearer, 'soak-proposals');
        const c = client;
        const result = await timed(
          ctx,
          'proposal',
          () =>
            c.callTool({
              name: 'create_refund_intent',
              arguments: { orderId, reason: 'soak', amountCents: 1, idempotencyKey: key },
            }),
          toolVerdict,
        );
        if (result.isError) throw new Error('tool error');
        const text = (result.content as { type: string; text: string }[])[0]?.text ?? '{}';
        intentId =
          (JSON.parse(text) as { id?: string; intent?: { id?: string } }).id ??
          (JSON.parse(text) as { intent?: { id?: string } }).intent?.id;
      } catch {
        await pause(300);
      }
    }
    if (!intentId) continue;
    let decided = false;
    for (let attempt = 0; !decided && Date.now() < until; attempt++) {
      try {
        const res = await timed(ctx, 'console', () => approve(intentId), consoleVerdict);
        // A 409 on a resend: the first approval went through (the intent is no longer pending).
        decided = res.ok || (attempt > 0 && res.status === 409);
        if (!decided) await pause(300);
      } catch {
        await pause(300);
      }
    }
    await pause(200);
  }
  await client?.close().catch(() => undefined);
}

/** Console reads through tRPC. */
export async function consoleLane(ctx: LoadContext, read: () => Promise<Response>) {
  while (ctx.running()) {
    try {
      const res = await timed(ctx, 'console', read, consoleVerdict);
      await res.arrayBuffer();
    } catch {
      await pause(200);
    }
    await pause(250);
  }
}
