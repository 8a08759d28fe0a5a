// 2026-07-28 stateless tools/call clients: no session, the `_meta` envelope
// and the `Mcp-Method` / `Mcp-Name` headers on every request. Used by section
// 1b and by BENCH_PROFILE=1.
import { newAgent, type Endpoint, type LoadClient } from './http-load.ts';
import { MCP_ACCEPT } from './mcp-http.ts';

export const STATELESS_VERSION = '2026-07-28';

/** `count` closed-loop clients calling `tool` with `args`, a bearer on each request when given. */
export function statelessClients(
  count: number,
  ep: Endpoint,
  bearer: string | undefined,
  tool: string,
  args: Record<string, unknown>,
): LoadClient[] {
  const params = JSON.stringify({
    name: tool,
    arguments: args,
    _meta: {
      'io.modelcontextprotocol/protocolVersion': STATELESS_VERSION,
      'io.modelcontextprotocol/clientInfo': { name: 'flowpos-bench', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  });
  return Array.from({ length: count }, () => ({
    agent: newAgent(),
    endpoints: [ep],
    path: '/mcp',
    headers: {
      'content-type': 'application/json',
      accept: MCP_ACCEPT,
      'mcp-protocol-version': STATELESS_VERSION,
      'mcp-method': 'tools/call',
      'mcp-name': tool,
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: (n: number) => `{"jsonrpc":"2.0","id":${n + 1},"method":"tools/call","params":${params}}`,
  }));
}

/** One request of the first client; throws unless it is a successful tools/call result. */
export async function checkStatelessCall(clients: LoadClient[], label: string): Promise<void> {
  const c = clients[0] as LoadClient;
  const ep = c.endpoints[0] as Endpoint;
  const res = await fetch(`http://${ep.host}:${ep.port}${c.path}`, {
    method: 'POST',
    headers: c.headers,
    body: c.body(0),
  });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"result"') || text.includes('"isError":true'))
    throw new Error(`2026 tools/call on ${label}: HTTP ${res.status} ${text.slice(0, 300)}`);
}
