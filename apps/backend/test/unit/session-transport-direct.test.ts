// Requests run beside the server (the tools/call fast path: what
// session-transport-run-direct.test.ts does not cover) and the GET stream, in
// process: a stream that replays what a reconnecting client missed.
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { describe, expect, it, vi } from 'vitest';
import { SessionTransport, StreamConflictError } from '../../src/mcp/sessions/session-transport.ts';
import { MemoryEventStore, SseResponse } from '../support/in-process.ts';

const result = (id: number, value: Record<string, unknown> = {}): JSONRPCMessage => ({
  jsonrpc: '2.0',
  id,
  result: value,
});
const note = (n: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/tools/list_changed',
  params: { n },
});

describe('runDirect', () => {
  it('answers -32603 when the run fails, and reports the error', async () => {
    const t = new SessionTransport('s', new MemoryEventStore());
    const onerror = vi.fn();
    t.onerror = onerror;
    await expect(
      t.runDirect(2, async () => {
        throw new Error('database down');
      }),
    ).resolves.toEqual({
      jsonrpc: '2.0',
      error: { code: -32603, message: 'Internal error' },
      id: 2,
    });
    expect(onerror).toHaveBeenCalledWith(new Error('database down'));
  });

  it("a server response with a direct request's id does not answer it", async () => {
    const t = new SessionTransport('s', new MemoryEventStore());
    let finish!: (m: JSONRPCMessage) => void;
    const answer = t.runDirect(5, () => new Promise((resolve) => (finish = resolve)));
    await t.send(result(5, { from: 'server' }));
    expect(t.pendingCount).toBe(1);
    finish(result(5, { from: 'run' }));
    await expect(answer).resolves.toEqual(result(5, { from: 'run' }));
  });
});

describe('the GET stream', () => {
  it('stores server messages with no stream open and replays those after Last-Event-ID', async () => {
    const store = new MemoryEventStore();
    const t = new SessionTransport('s', store);
    await t.send(note(1));
    await t.send(note(2));
    await t.send(note(3));
    const res = new SseResponse();
    await t.openStream(res.asServerResponse(), {
      lastEventId: store.events[0]!.id,
      protocolVersion: '2025-11-25',
    });
    expect(res.messages()).toEqual([note(2), note(3)]);
    await t.send(note(4));
    expect(res.messages()).toEqual([note(2), note(3), note(4)]);
  });

  it('writes a message stored during the replay once, after what it follows', async () => {
    const store = new MemoryEventStore();
    const t = new SessionTransport('s', store);
    await t.send(note(1));
    await t.send(note(2));
    const replay = store.replayEventsAfter.bind(store);
    store.replayEventsAfter = (lastEventId, { send }) =>
      replay(lastEventId, {
        send: async (id, message) => {
          await send(id, message);
          if (id === store.events[1]!.id) await t.send(note(3));
        },
      });
    const res = new SseResponse();
    await t.openStream(res.asServerResponse(), {
      lastEventId: store.events[0]!.id,
      protocolVersion: '2025-11-25',
    });
    expect(res.messages()).toEqual([note(2), note(3)]);
  });

  it('gives a 2025-11-25 client a priming event to resume from, not an older one', async () => {
    const modern = new SseResponse();
    await new SessionTransport('s', new MemoryEventStore()).openStream(modern.asServerResponse(), {
      protocolVersion: '2025-11-25',
    });
    expect(modern.text).toMatch(/^: stream opened\n\nid: \S+\ndata: \n\n$/);
    const older = new SseResponse();
    await new SessionTransport('s', new MemoryEventStore()).openStream(older.asServerResponse(), {
      protocolVersion: '2025-06-18',
    });
    expect(older.text).toBe(': stream opened\n\n');
  });

  it('allows one stream at a time; a closed one frees the session for the next', async () => {
    const t = new SessionTransport('s', new MemoryEventStore());
    const first = new SseResponse();
    await t.openStream(first.asServerResponse(), { protocolVersion: '2025-06-18' });
    await expect(
      t.openStream(new SseResponse().asServerResponse(), { protocolVersion: '2025-06-18' }),
    ).rejects.toBeInstanceOf(StreamConflictError);
    first.end();
    expect(t.hasStream).toBe(false);
    await t.openStream(new SseResponse().asServerResponse(), { protocolVersion: '2025-06-18' });
    expect(t.hasStream).toBe(true);
    await t.close();
  });

  it('sends no notification tied to a client request (JSON answers have no stream)', async () => {
    const store = new MemoryEventStore();
    const t = new SessionTransport('s', store);
    await t.send(
      {
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progress: 1, progressToken: 1 },
      },
      { relatedRequestId: 1 },
    );
    expect(store.events).toEqual([]);
  });

  it('closing the session ends its stream', async () => {
    const t = new SessionTransport('s', new MemoryEventStore());
    const res = new SseResponse();
    await t.openStream(res.asServerResponse(), { protocolVersion: '2025-06-18' });
    await t.close();
    expect(res.ended).toBe(true);
  });
});
