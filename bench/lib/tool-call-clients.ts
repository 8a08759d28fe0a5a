// The load clients of the tools/call sections: one MCP session per client,
// each checked with one real call before it is timed.
import { newAgent, type Endpoint, type LoadClient } from './http-load.ts';
import { checkToolCall, MCP_ACCEPT, openSession, toolCallClient } from './mcp-http.ts';
import type { Settings } from './settings.ts';

/** `settings.clients` sessions on `ep`, each calling `tool` with `args`. */
export function sessionClients(
  settings: Settings,
  ep: Endpoint,
  bearer: string | undefined,
  tool: string,
  args: Record<string, unknown>,
): Promise<LoadClient[]> {
  return Promise.all(
    Array.from({ length: settings.clients }, async () => {
      const agent = newAgent();
      const session = await openSession(agent, ep, bearer);
      await checkToolCall(agent, ep, session, tool, args);
      return toolCallClient(session, [ep], tool, args, agent);
    }),
  );
}

/** The ceiling server keeps no session: each client posts the same echo call. */
export function ceilingClients(settings: Settings, ep: Endpoint): LoadClient[] {
  return Array.from({ length: settings.clients }, () => ({
    agent: newAgent(),
    endpoints: [ep],
    path: '/mcp',
    headers: { 'content-type': 'application/json', accept: MCP_ACCEPT },
    body: (n: number) =>
      `{"jsonrpc":"2.0","id":${n + 1},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}`,
  }));
}
