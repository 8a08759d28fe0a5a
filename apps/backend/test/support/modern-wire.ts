// The 2026-07-28 wire seen raw: the headers and the `_meta` envelope a
// sessionless request carries, and a POST that returns status and JSON.
export const MODERN = '2026-07-28';

export function modernHeaders(bearer: string, method: string, name?: string) {
  return {
    authorization: `Bearer ${bearer}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': MODERN,
    'mcp-method': method,
    ...(name ? { 'mcp-name': name } : {}),
  };
}

/** Request params with the per-request `_meta` a 2026 client sends. */
export function envelope(extra: Record<string, unknown> = {}) {
  return {
    _meta: {
      'io.modelcontextprotocol/protocolVersion': MODERN,
      'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    },
    ...extra,
  };
}

export async function post(url: string, headers: Record<string, string>, body: unknown) {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    json: (text ? JSON.parse(text) : undefined) as any,
  };
}
