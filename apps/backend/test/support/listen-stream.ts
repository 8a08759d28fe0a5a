// A 2026-07-28 `subscriptions/listen` stream held open over raw HTTP: what it
// received, whether the server acknowledged it, and when the server ended it.
import { MODERN, modernHeaders } from './modern-wire.ts';
import { waitFor } from './poll.ts';

export interface Listening {
  status: number;
  /** The server acknowledged the subscription (the stream is open). */
  acknowledged: boolean;
  /** JSON-RPC messages received so far. */
  messages: { method?: string; error?: { message: string } }[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens a listen stream; `onOpen` gets it before its acknowledgement is awaited (to close it later). */
export async function listenStream(
  mcpUrl: string,
  bearer: string,
  onOpen: (stream: Listening) => void,
): Promise<Listening> {
  const abort = new AbortController();
  const res = await fetch(mcpUrl, {
    method: 'POST',
    signal: abort.signal,
    headers: modernHeaders(bearer, 'subscriptions/listen'),
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'subscriptions/listen',
      params: {
        notifications: { toolsListChanged: true, promptsListChanged: true },
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN,
          'io.modelcontextprotocol/clientInfo': { name: 'listen-test', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
  const messages: Listening['messages'] = [];
  const listening: Listening = {
    status: res.status,
    acknowledged: false,
    messages,
    ended: Promise.resolve(),
    close: () => abort.abort(),
  };
  onOpen(listening);
  if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    messages.push((await res.json()) as Listening['messages'][number]);
    return listening;
  }
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  listening.ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = frame
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('');
          if (data) messages.push(JSON.parse(data) as Listening['messages'][number]);
        }
      }
    } catch {
      // Aborted by the test.
    }
  })();
  await waitFor(
    () => messages.some((m) => m.method === 'notifications/subscriptions/acknowledged'),
    {
      what: 'the listen stream acknowledged',
    },
  );
  listening.acknowledged = true;
  return listening;
}
