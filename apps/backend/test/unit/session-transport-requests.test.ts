// The session transport's request side, in process (no Redis, no Fastify):
// every request dispatched to the server ends exactly once, answered, timed
// out, dropped when the client goes away, or ended with the session.
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionTransport } from '../../src/mcp/sessions/session-transport.ts';
import { MemoryEventStore } from '../support/in-process.ts';

const request = (id: number | string, method = 'tools/list'): JSONRPCMessage => ({
  jsonrpc: '2.0',
  id,
  method,
});
const result = (id: number | string, value: Record<string, unknown> = {}): JSONRPCMessage => ({
  jsonrpc: '2.0',
  id,
  result: value,
});

/** A transport whose server records what it receives and answers nothing by itself. */
function transport(timeoutMs = 60_000) {
  const t = new SessionTransport('session-1', new MemoryEventStore(), timeoutMs);
  const received: JSONRPCMessage[] = [];
  t.onmessage = (message) => void received.push(message);
  return { t, received };
}

const cancelled = (received: JSONRPCMessage[]) =>
  received.filter((m) => 'method' in m && m.method === 'notifications/cancelled');

describe('dispatch', () => {
  it("hands a request to the server and resolves with the server's answer", async () => {
    const { t, received } = transport();
    const answer = t.dispatch([request(1)], false);
    expect(received).toEqual([request(1)]);
    expect(t.pendingCount).toBe(1);
    await t.send(result(1, { tools: [] }));
    await expect(answer).resolves.toEqual(result(1, { tools: [] }));
    expect(t.pendingCount).toBe(0);
  });

  it('answers a batch in request order, whatever order the server answers in', async () => {
    const { t } = transport();
    const answer = t.dispatch([request(1), request('two')], true);
    await t.send(result('two', { n: 2 }));
    await t.send(result(1, { n: 1 }));
    await expect(answer).resolves.toEqual([result(1, { n: 1 }), result('two', { n: 2 })]);
  });

  it('answers nothing (HTTP 202) for notifications only, and still forwards them', async () => {
    const { t, received } = transport();
    const note: JSONRPCMessage = { jsonrpc: '2.0', method: 'notifications/initialized' };
    await expect(t.dispatch([note], false)).resolves.toBeNull();
    expect(received).toEqual([note]);
  });

  it('refuses an id already in flight at once, without handing it to the server', async () => {
    const { t, received } = transport();
    const first = t.dispatch([request(7)], false);
    const again = await t.dispatch([request(7, 'tools/call')], false);
    expect(again).toMatchObject({ id: 7, error: { code: -32600 } });
    expect(received).toHaveLength(1);
    await t.send(result(7));
    await expect(first).resolves.toEqual(result(7));
  });

  it('refuses the second of two equal ids in one batch', async () => {
    const { t, received } = transport();
    const answer = t.dispatch([request(1), request(1)], true);
    await t.send(result(1));
    const [one, two] = (await answer) as JSONRPCMessage[];
    expect(one).toEqual(result(1));
    expect(two).toMatchObject({ id: 1, error: { code: -32600 } });
    expect(received).toHaveLength(1);
  });

  it('answers an unknown tool the 2025 way: an isError result, not a protocol error', async () => {
    const { t } = transport();
    const answer = t.dispatch([request(3, 'tools/call')], false);
    await t.send({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32602, message: 'Tool nope not found' },
    });
    await expect(answer).resolves.toEqual({
      jsonrpc: '2.0',
      id: 3,
      result: {
        content: [{ type: 'text', text: 'MCP error -32602: Tool nope not found' }],
        isError: true,
      },
    });
  });

  it('keeps other errors of a tools/call, and that error for other methods', async () => {
    const { t } = transport();
    const notFound = { code: -32602, message: 'Tool nope not found' };
    const listed = t.dispatch([request(4)], false);
    await t.send({ jsonrpc: '2.0', id: 4, error: notFound });
    await expect(listed).resolves.toEqual({ jsonrpc: '2.0', id: 4, error: notFound });
    const called = t.dispatch([request(5, 'tools/call')], false);
    await t.send({ jsonrpc: '2.0', id: 5, error: { code: -32603, message: 'boom' } });
    await expect(called).resolves.toMatchObject({ error: { code: -32603 } });
  });
});

describe('requests that end without their answer', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('times out with -32001, tells the server to cancel, and drops the late answer', async () => {
    const { t, received } = transport(1_000);
    const answer = t.dispatch([request(1)], false);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(answer).resolves.toEqual({
      jsonrpc: '2.0',
      error: { code: -32001, message: 'Request timed out after 1000 ms' },
      id: 1,
    });
    expect(cancelled(received)).toEqual([
      {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: 1, reason: 'Request timed out' },
      },
    ]);
    await t.send(result(1));
    expect(t.pendingCount).toBe(0);
  });

  it('when the client disconnects, ends the request and tells the server to cancel', async () => {
    const { t, received } = transport();
    const gone = new AbortController();
    const answer = t.dispatch([request(2)], false, undefined, gone.signal);
    gone.abort();
    await expect(answer).resolves.toMatchObject({ id: 2, error: { code: -32001 } });
    expect(cancelled(received)).toHaveLength(1);
    expect(t.pendingCount).toBe(0);
  });

  it('a request from a client already gone is ended too', async () => {
    const { t } = transport();
    const answer = t.dispatch([request(3)], false, undefined, AbortSignal.abort());
    await expect(answer).resolves.toMatchObject({ id: 3, error: { code: -32001 } });
  });

  it('closing the session ends every pending request and refuses new ones', async () => {
    const { t } = transport();
    const onclose = vi.fn();
    t.onclose = onclose;
    const answer = t.dispatch([request(1), request(2)], true);
    await t.close();
    await expect(answer).resolves.toEqual([
      { jsonrpc: '2.0', error: { code: -32001, message: 'Session closed' }, id: 1 },
      { jsonrpc: '2.0', error: { code: -32001, message: 'Session closed' }, id: 2 },
    ]);
    expect(onclose).toHaveBeenCalledTimes(1);
    await t.close();
    expect(onclose).toHaveBeenCalledTimes(1);
    await expect(t.dispatch([request(3)], false)).rejects.toThrow('Session closed');
  });
});
