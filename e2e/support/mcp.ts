// An MCP client on the official SDK, as a customer would run it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { BACKEND_URL, MCP_URL } from './env.ts';

export interface McpConnection {
  client: Client;
  transport: StreamableHTTPClientTransport;
  sessionId: string;
  toolNames(): Promise<string[]>;
  close(): Promise<void>;
}

export async function connectMcp(
  bearer: string,
  clientName = 'flowpos-e2e',
): Promise<McpConnection> {
  const transport = new StreamableHTTPClientTransport(new URL(MCP_URL), {
    requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
  });
  const client = new Client({ name: clientName, version: '1.2.3' });
  await client.connect(transport);
  const sessionId = transport.sessionId;
  if (!sessionId) throw new Error('the server did not assign an MCP session id');
  return {
    client,
    transport,
    sessionId,
    async toolNames() {
      const { tools } = await client.listTools();
      return tools.map((t) => t.name).sort();
    },
    async close() {
      await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
    },
  };
}

/** A V2 MCP access token for a Firebase user (POST /mcp/token). */
export async function exchangeToken(firebaseIdToken: string): Promise<string> {
  const res = await fetch(`${BACKEND_URL}/mcp/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ firebaseIdToken }),
  });
  const body = (await res.json()) as { token?: string; error?: unknown };
  if (!res.ok || !body.token)
    throw new Error(`token exchange failed: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}
