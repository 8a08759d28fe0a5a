// SessionTransport: the MCP SDK's public Transport interface, for one session,
// shaped for this server. POST messages are dispatched to the SDK server and
// the answers returned as plain JSON (no web Request/Response/stream per call,
// which cost more than the tool itself); server-initiated messages go to the
// session's GET stream (SSE), through the EventStore so that a client
// reconnecting with Last-Event-ID, on any instance, gets what it missed.
import type { ServerResponse } from 'node:http';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type EventStore,
  type JSONRPCMessage,
  type MessageExtraInfo,
  type RequestId,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import { JSONRPC, jsonRpcError, requestTimedOut } from '../../http/json-rpc.ts';
import { duplicateIdError, legacyUnknownTool, writeEvent } from './session-messages.ts';

/** The stream id events are stored under (the EventStore is already per session). */
const GET_STREAM = '_GET_stream';
const KEEP_ALIVE_MS = 15_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export class StreamConflictError extends Error {}

/** A request handed to the server (or run directly), waiting for its answer. */
interface Pending {
  resolve: (message: JSONRPCMessage) => void;
  timer: NodeJS.Timeout;
  /** For a request run beside the server (runDirect): how to stop its work. */
  stop?: AbortController;
  /** The client cancelled it (notifications/cancelled): as on the server, no answer follows. */
  cancelled?: boolean;
  /** A tools/call (see legacyUnknownTool). */
  toolCall: boolean;
}

interface OpenStream {
  res: ServerResponse;
  keepAlive: NodeJS.Timeout;
  /** Events stored while a replay is being written; flushed after it. */
  buffered: { id: string; message: JSONRPCMessage }[] | null;
}

export class SessionTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  private readonly pending = new Map<RequestId, Pending>();
  private stream: OpenStream | null = null;
  private closed = false;

  readonly sessionId: string;
  private readonly eventStore: EventStore;
  /** How long a request may wait for its answer before it is answered with a timeout error. */
  private readonly requestTimeoutMs: number;
  constructor(
    sessionId: string,
    eventStore: EventStore,
    requestTimeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {
    this.sessionId = sessionId;
    this.eventStore = eventStore;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  get hasStream(): boolean {
    return this.stream !== null;
  }

  /** Requests handed to the server and not answered yet. */
  get pendingCount(): number {
    return this.pending.size;
  }

  async start(): Promise<void> {}

  /**
   * Hands the messages of one POST to the server. Resolves with the answer to
   * send: one response, an array for a batch, or null (only notifications or
   * responses: HTTP 202). Every request ends: answered, timed out (an error
   * answer), or, when `signal` aborts (the client went away), dropped; the
   * server is told to cancel the last two (notifications/cancelled).
   */
  async dispatch(
    messages: JSONRPCMessage[],
    batch: boolean,
    extra?: MessageExtraInfo,
    signal?: AbortSignal,
  ): Promise<JSONRPCMessage | JSONRPCMessage[] | null> {
    if (this.closed) throw new Error('Session closed');
    const answers: Promise<JSONRPCMessage>[] = [];
    const forwarded: JSONRPCMessage[] = [];
    const mine: RequestId[] = [];
    for (const message of messages) {
      if (isJSONRPCRequest(message)) {
        // An id already waiting for its answer (earlier in this batch, or in
        // flight in this session) is answered with an error at once: handing
        // it on would leave one of the two callers waiting forever.
        if (this.pending.has(message.id)) {
          answers.push(Promise.resolve(duplicateIdError(message.id)));
          continue;
        }
        answers.push(this.await(message.id, message.method === 'tools/call'));
        mine.push(message.id);
      } else if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
        this.cancelDirect(message.params?.requestId);
      }
      forwarded.push(message);
    }
    const onAbort = () => {
      for (const id of mine) this.abandon(id, null, 'The client disconnected');
    };
    if (mine.length > 0 && signal) {
      if (signal.aborted) queueMicrotask(onAbort);
      else signal.addEventListener('abort', onAbort, { once: true });
    }
    for (const message of forwarded) this.onmessage?.(message, extra);
    if (answers.length === 0) return null;
    try {
      const responses = await Promise.all(answers);
      return batch ? responses : (responses[0] as JSONRPCMessage);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Runs one request beside the server (the fast path for a plain tools/call)
   * under the same rules as a dispatched one: an id already in flight gets the
   * duplicate-id error, the request counts as pending until it ends, and it
   * ends as dispatch's do (answered, timed out with -32001, or dropped when
   * `signal` aborts); `run`'s signal aborts in the last two cases.
   */
  async runDirect(
    id: RequestId,
    run: (signal: AbortSignal) => Promise<JSONRPCMessage>,
    options: { signal?: AbortSignal; toolCall?: boolean } = {},
  ): Promise<JSONRPCMessage> {
    if (this.closed) throw new Error('Session closed');
    if (this.pending.has(id)) return duplicateIdError(id);
    const { signal } = options;
    const stop = new AbortController();
    const answer = this.await(id, options.toolCall === true, stop);
    const onAbort = () => this.abandon(id, null, 'The client disconnected');
    if (signal?.aborted) queueMicrotask(onAbort);
    else signal?.addEventListener('abort', onAbort, { once: true });
    run(stop.signal).then(
      (message) => this.answer(id, message),
      (error: unknown) => {
        this.onerror?.(error as Error);
        this.answer(id, jsonRpcError(JSONRPC.INTERNAL_ERROR, 'Internal error', id));
      },
    );
    try {
      return await answer;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private await(id: RequestId, toolCall: boolean, stop?: AbortController): Promise<JSONRPCMessage> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => this.abandon(id, requestTimedOut(id, this.requestTimeoutMs), 'Request timed out'),
        this.requestTimeoutMs,
      );
      timer.unref();
      this.pending.set(
        id,
        stop ? { resolve, timer, toolCall, stop } : { resolve, timer, toolCall },
      );
    });
  }

  /** Settles a pending request with its answer; a late one (timed out, dropped, cancelled) goes nowhere. */
  private answer(id: RequestId, message: JSONRPCMessage): void {
    const pending = this.pending.get(id);
    if (pending && !pending.cancelled) this.settle(id, pending, message);
  }

  /** The client cancelled a request run directly: its work stops and, as the SDK does, it gets no answer. */
  private cancelDirect(id: unknown): void {
    if (typeof id !== 'string' && typeof id !== 'number') return;
    const pending = this.pending.get(id);
    if (!pending?.stop) return;
    pending.cancelled = true;
    pending.stop.abort();
  }

  /**
   * Ends a pending request without the server's answer: with `answer` (a
   * timeout error), or with nothing when nobody is left to read it. The
   * server is asked to stop working on it; a late answer is dropped.
   */
  private abandon(id: RequestId, answer: JSONRPCMessage | null, reason: string): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.settle(id, pending, answer ?? jsonRpcError(JSONRPC.REQUEST_ENDED, reason, id));
    if (pending.stop) pending.stop.abort();
    else if (!this.closed) {
      this.onmessage?.({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: id, reason },
      });
    }
  }

  private settle(id: RequestId, pending: Pending, message: JSONRPCMessage): void {
    clearTimeout(pending.timer);
    this.pending.delete(id);
    pending.resolve(pending.toolCall ? legacyUnknownTool(message) : message);
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      const id = message.id;
      // Only the server's own requests: one run directly is answered by its run.
      const pending = id === undefined ? undefined : this.pending.get(id);
      if (pending && !pending.stop) this.settle(id as RequestId, pending, message);
      return;
    }
    // Answers are JSON, not streams: a message tied to a client request (a
    // progress or log notification) has nowhere to go, as in the SDK's JSON mode.
    if (options?.relatedRequestId !== undefined) return;
    // Stored even without an open stream, so a reconnecting client gets it.
    const id = await this.eventStore.storeEvent(GET_STREAM, message);
    const stream = this.stream;
    if (!stream) return;
    if (stream.buffered) stream.buffered.push({ id, message });
    else writeEvent(stream.res, id, message);
  }

  /**
   * Serves GET /mcp on `res` (already answered 200 with SSE headers by the
   * caller): replays what followed `lastEventId`, then streams live events.
   */
  async openStream(
    res: ServerResponse,
    options: { lastEventId?: string | undefined; protocolVersion: string },
  ): Promise<void> {
    if (this.stream)
      throw new StreamConflictError('Conflict: Only one SSE stream is allowed per session');
    const stream: OpenStream = {
      res,
      keepAlive: setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS),
      buffered: options.lastEventId ? [] : null,
    };
    this.stream = stream;
    const detach = () => {
      clearInterval(stream.keepAlive);
      if (this.stream === stream) this.stream = null;
    };
    res.on('close', detach);
    res.write(': stream opened\n\n');
    if (options.lastEventId) {
      const replayed = new Set<string>();
      try {
        await this.eventStore.replayEventsAfter(options.lastEventId, {
          send: async (id, message) => {
            replayed.add(id);
            writeEvent(res, id, message);
          },
        });
      } finally {
        const buffered = stream.buffered ?? [];
        stream.buffered = null;
        for (const event of buffered)
          if (!replayed.has(event.id)) writeEvent(res, event.id, event.message);
      }
    } else if (options.protocolVersion >= '2025-11-25') {
      // A priming event gives the client an id to resume from (2025-11-25 clients handle empty data).
      const id = await this.eventStore.storeEvent(GET_STREAM, {} as JSONRPCMessage);
      res.write(`id: ${id}\ndata: \n\n`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stream = this.stream;
    this.stream = null;
    if (stream) {
      clearInterval(stream.keepAlive);
      stream.res.end();
    }
    for (const [id, pending] of [...this.pending]) {
      this.settle(id, pending, jsonRpcError(JSONRPC.REQUEST_ENDED, 'Session closed', id));
      pending.stop?.abort();
    }
    this.onclose?.();
  }
}
