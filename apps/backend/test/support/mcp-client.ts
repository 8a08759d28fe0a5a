// The official MCP SDK client against a real HTTP server.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  Client as V2Client,
  StreamableHTTPClientTransport as V2Transport,
} from '@modelcontextprotocol/client';

export interface ConnectedClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  sessionId: string;
  close(): Promise<void>;
}

export async function connectClient(
  mcpUrl: string,
  bearer: string,
  options: { name?: string; fetch?: typeof fetch } = {},
): Promise<ConnectedClient> {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const client = new Client({ name: options.name ?? 'flowpos-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    transport,
    sessionId: transport.sessionId as string,
    close: async () => {
      await client.close().catch(() => undefined);
    },
  };
}

/** Parses the JSON text a FlowPOS tool returns. */
export function toolJson<T = Record<string, unknown>>(result: unknown): T {
  const content = (result as { content?: { type: string; text: string }[] }).content ?? [];
  const text = content.find((c) => c.type === 'text')?.text ?? 'null';
  return JSON.parse(text) as T;
}

export function toolText(result: unknown): string {
  const content = (result as { content?: { type: string; text: string }[] }).content ?? [];
  return content.map((c) => c.text).join('\n');
}

/** An SDK v2 client that negotiates 2026-07-28 (sessionless requests). */
export async function connectModernClient(mcpUrl: string, bearer: string): Promise<V2Client> {
  const client = new V2Client(
    { name: 'modern-test', version: '2.0.0' },
    { versionNegotiation: { mode: 'auto' } },
  );
  await client.connect(
    new V2Transport(new URL(mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    }),
  );
  return client;
}
