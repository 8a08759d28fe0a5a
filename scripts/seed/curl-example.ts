// A curl command that initializes an MCP session with a seeded key.

export function mcpUrl(): string {
  return process.env.MCP_URL ?? `http://127.0.0.1:${process.env.PORT || 4000}/mcp`;
}

export function curlInitializeExample(key: string, url = mcpUrl()): string {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'curl', version: '1.0.0' },
    },
  });
  return [
    `curl -i ${url} \\`,
    `  -H 'Authorization: Bearer ${key}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H 'Accept: application/json, text/event-stream' \\`,
    `  -d '${body}'`,
  ].join('\n');
}
