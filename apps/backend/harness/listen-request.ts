// A raw 2026-07-28 `subscriptions/listen` request (the SDK's client has no
// helper for holding one open), for the tests and the soak that hold such
// streams: the headers a modern client sends and its JSON-RPC body.
export const MODERN_PROTOCOL = '2026-07-28';

export type ListChangedNotifications = Partial<
  Record<'toolsListChanged' | 'promptsListChanged' | 'resourcesListChanged', boolean>
>;

/** `fetch` options (POST) for one subscriptions/listen stream; pass `signal` to close it. */
export function listenRequest(
  bearer: string,
  clientName: string,
  notifications: ListChangedNotifications,
  signal?: AbortSignal,
): RequestInit {
  return {
    method: 'POST',
    ...(signal ? { signal } : {}),
    headers: {
      authorization: `Bearer ${bearer}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN_PROTOCOL,
      'mcp-method': 'subscriptions/listen',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'subscriptions/listen',
      params: {
        notifications,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL,
          'io.modelcontextprotocol/clientInfo': { name: clientName, version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  };
}
