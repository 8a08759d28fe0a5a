// Raw HTTP against a test server's /mcp and JSON routes: exactly what a
// client on the wire sends and sees (status, headers, text, parsed JSON).
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import superjson from 'superjson';

/** A body's JSON, or undefined when it is empty or not JSON (what a client would make of it). */
export function parsedOrUndefined(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

export const ACCEPT_BOTH = 'application/json, text/event-stream';
export const AUTH_REQUIRED = 'Authentication required: provide a valid MCP API key or access token';

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface McpRequestOptions {
  method?: 'POST' | 'GET' | 'DELETE';
  bearer?: string;
  /** A full Authorization header value (overrides bearer). */
  authorization?: string;
  sessionId?: string;
  body?: unknown;
  /** Sent as is (no JSON.stringify). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export async function mcpRequest(
  url: string,
  options: McpRequestOptions = {},
): Promise<RawResponse> {
  const method = options.method ?? 'POST';
  const headers: Record<string, string> = {};
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    headers.accept = ACCEPT_BOTH;
  }
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  if (options.sessionId !== undefined) {
    headers['mcp-session-id'] = options.sessionId;
    headers['mcp-protocol-version'] = LATEST_PROTOCOL_VERSION;
  }
  Object.assign(headers, options.headers ?? {});
  const body =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const res = await fetch(url, {
    method,
    headers,
    ...(body !== undefined && method !== 'GET' ? { body } : {}),
  });
  const text = await res.text();
  const json = parsedOrUndefined(text);
  return { status: res.status, headers: res.headers, text, json };
}

export function initializeBody(id: number | string = 1, clientName = 'raw-test') {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: clientName, version: '1.0.0' },
    },
  };
}

/** initialize + notifications/initialized over raw HTTP; returns the session id. */
export async function rawSession(url: string, bearer: string): Promise<string> {
  const init = await mcpRequest(url, { bearer, body: initializeBody() });
  if (init.status !== 200) throw new Error(`initialize failed: ${init.status} ${init.text}`);
  const sessionId = init.headers.get('mcp-session-id');
  if (!sessionId) throw new Error('no mcp-session-id on initialize');
  const done = await mcpRequest(url, {
    bearer,
    sessionId,
    body: { jsonrpc: '2.0', method: 'notifications/initialized' },
  });
  if (done.status !== 202)
    throw new Error(`notifications/initialized failed: ${done.status} ${done.text}`);
  return sessionId;
}

let nextId = 100;
export function toolsCallBody(name: string, args: Record<string, unknown> = {}) {
  return { jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: args } };
}
export function toolsListBody() {
  return { jsonrpc: '2.0', id: nextId++, method: 'tools/list', params: {} };
}

/** Opens GET /mcp as SSE, returns status and content type once headers arrive, then aborts. */
export async function openSse(
  url: string,
  bearer: string | undefined,
  sessionId: string | undefined,
) {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (sessionId) {
    headers['mcp-session-id'] = sessionId;
    headers['mcp-protocol-version'] = LATEST_PROTOCOL_VERSION;
  }
  const res = await fetch(url, { method: 'GET', headers, signal: controller.signal });
  const status = res.status;
  const contentType = res.headers.get('content-type') ?? '';
  let text = '';
  if (!contentType.includes('text/event-stream')) text = await res.text();
  controller.abort();
  await res.body?.cancel().catch(() => undefined);
  return { status, contentType, text };
}

/** Posts JSON to a non-MCP route. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const json = parsedOrUndefined(text);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, text, json: json as any };
}

/** POST /mcp/token with a Firebase ID token. */
export async function exchangeToken(baseUrl: string, firebaseIdToken: string) {
  return postJson(`${baseUrl}/mcp/token`, { firebaseIdToken });
}

/** A tRPC mutation as the console sends it (superjson body, the person's ID token). */
export async function trpcMutation(baseUrl: string, idToken: string, path: string, input: unknown) {
  const res = await fetch(`${baseUrl}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${idToken}` },
    body: JSON.stringify(superjson.serialize(input)),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}
