// Raw MCP over HTTP (JSON responses): initialize once per client to get a
// session id, then JSON-RPC requests with that id. No SDK client.
import type http from 'node:http';
import { newAgent, request, type Endpoint, type LoadClient } from './http-load.ts';

export const PROTOCOL_VERSION = '2025-11-25';
export const MCP_ACCEPT = 'application/json, text/event-stream';

export interface McpSession {
  sessionId: string;
  protocolVersion: string;
  headers: Record<string, string>;
}

function baseHeaders(bearer: string | undefined): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: MCP_ACCEPT,
    ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
  };
}

export function initializeBody(clientName = 'flowpos-bench'): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: clientName, version: '1.0.0' },
    },
  });
}

/** initialize (and, unless `initializedNotification` is false, notifications/initialized). */
export async function openSession(
  agent: http.Agent | undefined,
  endpoint: Endpoint,
  bearer: string | undefined,
  options: { initializedNotification?: boolean; clientName?: string } = {},
): Promise<McpSession> {
  const answer = await request(
    agent,
    endpoint,
    'POST',
    '/mcp',
    baseHeaders(bearer),
    initializeBody(options.clientName),
  );
  const sessionId = answer.headers['mcp-session-id'];
  if (answer.status !== 200 || typeof sessionId !== 'string') {
    throw new Error(`initialize failed: HTTP ${answer.status} ${answer.body.slice(0, 300)}`);
  }
  const result = (JSON.parse(answer.body) as { result?: { protocolVersion?: string } }).result;
  const protocolVersion = result?.protocolVersion ?? PROTOCOL_VERSION;
  const headers = {
    ...baseHeaders(bearer),
    'mcp-session-id': sessionId,
    'mcp-protocol-version': protocolVersion,
  };
  if (options.initializedNotification !== false) {
    const ack = await request(
      agent,
      endpoint,
      'POST',
      '/mcp',
      headers,
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    );
    if (ack.status !== 202 && ack.status !== 200)
      throw new Error(`notifications/initialized failed: HTTP ${ack.status} ${ack.body}`);
  }
  return { sessionId, protocolVersion, headers };
}

export function toolsCallBody(id: number, name: string, args: Record<string, unknown>): string {
  return `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":${JSON.stringify({ name, arguments: args })}}`;
}

export function pingBody(id: number | string): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });
}

/** Sends one tools/call and checks that it is a successful, non-error result. */
export async function checkToolCall(
  agent: http.Agent | undefined,
  endpoint: Endpoint,
  session: McpSession,
  name: string,
  args: Record<string, unknown>,
): Promise<string> {
  const answer = await request(
    agent,
    endpoint,
    'POST',
    '/mcp',
    session.headers,
    toolsCallBody(1, name, args),
  );
  if (answer.status !== 200)
    throw new Error(`tools/call ${name}: HTTP ${answer.status} ${answer.body.slice(0, 300)}`);
  const parsed = JSON.parse(answer.body) as {
    result?: { isError?: boolean; content?: { text: string }[] };
    error?: unknown;
  };
  if (!parsed.result || parsed.result.isError)
    throw new Error(`tools/call ${name} failed: ${answer.body.slice(0, 300)}`);
  return parsed.result.content?.[0]?.text ?? '';
}

/** A load client calling one tool in a loop on an already-open session. */
export function toolCallClient(
  session: McpSession,
  endpoints: Endpoint[],
  tool: string,
  args: Record<string, unknown>,
  agent = newAgent(),
): LoadClient {
  const params = JSON.stringify({ name: tool, arguments: args });
  return {
    agent,
    endpoints,
    path: '/mcp',
    headers: session.headers,
    body: (n) => `{"jsonrpc":"2.0","id":${n + 1},"method":"tools/call","params":${params}}`,
  };
}
