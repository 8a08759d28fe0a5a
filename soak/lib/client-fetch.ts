// What every soak client sends its HTTP through: it notes each answer the
// product gives under faults and retries what a client should retry.
//   - 502/503/504 must carry Retry-After and a JSON-RPC error body: then the
//     request is sent again after Retry-After (a retry); without them, or any
//     other 5xx, it is a violation (`bad5xx`).
//   - A dropped connection is retried too (the load balancer may not know yet).
//   - A GET /mcp or subscriptions/listen stream opened again is counted.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Marks } from './figures.ts';

/**
 * One timed call (load.ts): the x-request-id its tools/call went out with
 * (every resend of it by this fetch too), which the backend stores in the
 * call's audit event — so each answer is matched to its event by id.
 */
export const callScope = new AsyncLocalStorage<{ requestId?: string }>();

const isToolsCall = (init: RequestInit | undefined) =>
  (init?.method ?? 'GET') === 'POST' && String(init?.body ?? '').includes('"tools/call"');

/** The request with the scope's id as x-request-id, for a tools/call inside a timed call. */
function tagged(init: RequestInit | undefined): RequestInit | undefined {
  const scope = callScope.getStore();
  if (!scope || !isToolsCall(init)) return init;
  scope.requestId ??= randomUUID();
  const headers = new Headers(init?.headers);
  headers.set('x-request-id', scope.requestId);
  return { ...init, headers };
}

export interface Bad5xx {
  atMs: number;
  status: number;
  detail: string;
}

export interface Recorder {
  marks: Marks;
  bad5xx: Bad5xx[];
  now(): number;
}

/** Total time a request is retried before the client gives up (an outage is 10 s). */
export const RETRY_BUDGET_MS = 30_000;

export function newRecorder(start = Date.now()): Recorder {
  return {
    marks: { retries: [], sessionsLost: [], listenReopened: [] },
    bad5xx: [],
    now: () => Date.now() - start,
  };
}

/** Whether a 5xx answer is the product's "try again" (Retry-After + JSON-RPC error), and how long to wait. */
export function retryAdvice(
  status: number,
  headers: { get(name: string): string | null },
  body: string,
  /** /mcp answers a JSON-RPC error; tRPC its own error envelope. */
  kind: 'mcp' | 'trpc' = 'mcp',
): { retryable: boolean; waitMs: number; problem?: string } {
  if (status < 500) return { retryable: false, waitMs: 0 };
  const retryAfter = Number(headers.get('retry-after'));
  let jsonRpc = false;
  try {
    const parsed = JSON.parse(body) as {
      jsonrpc?: string;
      error?: { message?: string; json?: { message?: string } };
    };
    jsonRpc =
      kind === 'mcp'
        ? parsed.jsonrpc === '2.0' && typeof parsed.error?.message === 'string'
        : typeof (parsed.error?.json?.message ?? parsed.error?.message) === 'string';
  } catch {
    jsonRpc = false;
  }
  const problems = [
    ...(status === 500 || status > 504 ? [`status ${status}`] : []),
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? [] : ['no Retry-After']),
    ...(jsonRpc ? [] : [kind === 'mcp' ? 'no JSON-RPC error body' : 'no tRPC error body']),
  ];
  return {
    retryable: status >= 502 && status <= 504,
    waitMs: Math.min(
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 500,
      2_000,
    ),
    ...(problems.length ? { problem: problems.join(', ') } : {}),
  };
}

const isStream = (init: RequestInit | undefined, res: Response) =>
  (res.headers.get('content-type') ?? '').includes('text/event-stream') &&
  ((init?.method ?? 'GET') === 'GET' || String(init?.body ?? '').includes('subscriptions/listen'));

export function soakFetch(rec: Recorder, kind: 'mcp' | 'trpc' = 'mcp'): typeof fetch {
  let streamsOpened = 0;
  return async (input, given) => {
    const init = tagged(given);
    const deadline = Date.now() + RETRY_BUDGET_MS;
    for (;;) {
      let res: Response;
      try {
        res = await fetch(input, init);
      } catch (error) {
        if (init?.signal?.aborted || Date.now() > deadline) throw error;
        rec.marks.retries.push(rec.now());
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      if (res.status >= 500) {
        const body = await res.clone().text();
        const advice = retryAdvice(res.status, res.headers, body, kind);
        if (advice.problem)
          rec.bad5xx.push({
            atMs: rec.now(),
            status: res.status,
            detail: `${advice.problem}: ${body.slice(0, 200)}`,
          });
        if (advice.retryable && Date.now() + advice.waitMs < deadline && !init?.signal?.aborted) {
          rec.marks.retries.push(rec.now());
          await new Promise((r) => setTimeout(r, advice.waitMs));
          continue;
        }
        return res;
      }
      if (res.ok && isStream(init, res)) {
        if (streamsOpened > 0) rec.marks.listenReopened.push(rec.now());
        streamsOpened++;
      }
      return res;
    }
  };
}
