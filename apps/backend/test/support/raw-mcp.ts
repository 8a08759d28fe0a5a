// Raw HTTP against /mcp for what the SDK client hides: probing a session on a
// chosen instance, and reading a GET (SSE) stream event by event with ids.
import { initializeBody } from './raw-http.ts';

export interface SessionRef {
  sessionId: string;
  bearer: string;
  protocolVersion: string;
}

const headersFor = (ref: SessionRef, accept = 'application/json, text/event-stream') => ({
  authorization: `Bearer ${ref.bearer}`,
  'mcp-session-id': ref.sessionId,
  'mcp-protocol-version': ref.protocolVersion,
  accept,
  'content-type': 'application/json',
});

let nextId = 1;

/** One JSON-RPC request on a session, sent to a given MCP URL. */
export async function rawCall(
  mcpUrl: string,
  ref: SessionRef,
  method: string,
  params: Record<string, unknown> = {},
) {
  const res = await fetch(mcpUrl, {
    method: 'POST',
    headers: headersFor(ref),
    body: JSON.stringify({ jsonrpc: '2.0', id: `raw-${nextId++}`, method, params }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return {
    status: res.status,
    body: body as { result?: unknown; error?: { code: number; message: string } },
  };
}

/** An `initialize` without a session, as a new client would send it. */
export async function rawInitialize(
  mcpUrl: string,
  bearer: string,
  extraHeaders: Record<string, string> = {},
) {
  const res = await fetch(mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${bearer}`,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      ...extraHeaders,
    },
    body: JSON.stringify(initializeBody()),
  });
  const text = await res.text();
  return {
    status: res.status,
    sessionId: res.headers.get('mcp-session-id'),
    requestId: res.headers.get('x-request-id'),
    text,
  };
}

export interface SseEvent {
  id?: string;
  data: string;
}

export interface SseStream {
  status: number;
  /** The next event with data (priming and keep-alive events are skipped). */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Drops the connection without reading further. */
  abort(): void;
}

/** Opens the session's GET stream on a given instance, optionally resuming after an event id. */
export async function openSse(
  mcpUrl: string,
  ref: SessionRef,
  lastEventId?: string,
): Promise<SseStream> {
  const controller = new AbortController();
  const headers: Record<string, string> = headersFor(ref, 'text/event-stream');
  delete headers['content-type'];
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const res = await fetch(mcpUrl, { method: 'GET', headers, signal: controller.signal });
  const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const queue: SseEvent[] = [];
  const pump = async (): Promise<void> => {
    if (!reader) throw new Error(`no stream (status ${res.status})`);
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent = { data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('id:')) event.id = line.slice(3).trim();
        else if (line.startsWith('data:')) event.data += line.slice(5).trim();
      }
      if (event.data) queue.push(event);
    }
  };
  return {
    status: res.status,
    async next(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no SSE event in time');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          pump(),
          new Promise<void>(
            (_, reject) =>
              (timer = setTimeout(() => reject(new Error('no SSE event in time')), left)),
          ),
        ]).finally(() => clearTimeout(timer));
      }
      return queue.shift() as SseEvent;
    },
    abort() {
      controller.abort();
    },
  };
}
