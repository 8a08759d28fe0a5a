// One 2026 exchange on Node's request and response, with an end guaranteed:
// the SDK's handler sees a request whose signal aborts when the client goes
// away or the deadline passes; the per-request server then cancels its
// handler. A request past its deadline is answered with a JSON-RPC error
// (-32001, as the SDK's own request timeout) when nothing was sent yet, and
// its stream is ended otherwise. `subscriptions/listen` streams have no deadline.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toWebRequest } from '@modelcontextprotocol/node';
import type { AuthInfo } from '@modelcontextprotocol/server';
import { JSONRPC, jsonRpcError, requestTimedOut } from '../../http/json-rpc.ts';

/** The SDK handler's answer when the exchange was aborted before it produced one. */
const ABORTED_STATUS = 499;

export interface BoundedExchange {
  req: IncomingMessage & { auth?: AuthInfo };
  res: ServerResponse;
  body: unknown;
  /** No deadline when undefined (long-lived streams). */
  timeoutMs: number | undefined;
  /** Ends the exchange when it aborts (a listen stream whose credential was refused). */
  stop?: AbortSignal;
  maxBodyBytes: number;
  fetch(
    request: Request,
    options: { authInfo?: AuthInfo; parsedBody?: unknown },
  ): Promise<Response>;
  onError(error: unknown): void;
  /** Sees the answer's first bytes (the session inspector reads its outcome there). */
  onFirstChunk?: ((chunk: Uint8Array) => void) | undefined;
}

export async function serveBoundedExchange(exchange: BoundedExchange): Promise<void> {
  const { req, res, body, timeoutMs } = exchange;
  const abort = new AbortController();
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          abort.abort();
        }, timeoutMs);
  res.once('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) abort.abort();
  });
  if (exchange.stop?.aborted) abort.abort();
  exchange.stop?.addEventListener('abort', () => abort.abort(), { once: true });
  try {
    const request = await toWebRequest(req, body, {
      signal: abort.signal,
      maxRequestBodySize: exchange.maxBodyBytes,
    });
    const response = await exchange.fetch(request, {
      ...(req.auth ? { authInfo: req.auth } : {}),
      parsedBody: body,
    });
    if (response.status === ABORTED_STATUS && timedOut) {
      return writeJson(res, 200, requestTimedOut(requestId(body), timeoutMs ?? 0));
    }
    await writeResponse(res, response, abort.signal, exchange.onFirstChunk);
  } catch (error) {
    exchange.onError(error);
    writeJson(res, 500, jsonRpcError(JSONRPC.INTERNAL_ERROR, 'Internal error', requestId(body)));
  } finally {
    clearTimeout(timer);
    if (timedOut && !res.writableEnded) res.end();
  }
}

async function writeResponse(
  res: ServerResponse,
  response: Response,
  signal: AbortSignal,
  onFirstChunk: ((chunk: Uint8Array) => void) | undefined,
) {
  if (res.destroyed) return;
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  const stopped = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const reader = response.body.getReader();
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), stopped.then(() => null)]);
      if (!next || next.done) break;
      if (onFirstChunk) {
        onFirstChunk(next.value);
        onFirstChunk = undefined;
      }
      if (!res.write(next.value)) {
        await Promise.race([new Promise((resolve) => res.once('drain', resolve)), stopped]);
      }
    }
  } finally {
    reader.cancel().catch(() => undefined);
    res.end();
  }
}

/** The id to answer under: the request's own, or null when it has none. */
export function requestId(body: unknown): string | number | null {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

function writeJson(res: ServerResponse, status: number, message: unknown): void {
  if (res.headersSent || res.destroyed) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(message));
}
