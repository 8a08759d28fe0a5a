// SessionTransport.runDirect on its own: a request run beside the SDK server
// (the 2025 fast path) keeps the rules of a dispatched one. It counts as
// pending until it ends, an id in flight is refused either way, a client's
// notifications/cancelled stops its work and leaves it unanswered until the
// timeout (as the SDK server does), and a client gone or a closed session
// stops its work too.
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createMemoryEventStores } from '../../src/mcp/sessions/event-stores.ts';
import { SessionTransport } from '../../src/mcp/sessions/session-transport.ts';

const TIMEOUT_MS = 200;
const transport = () =>
  new SessionTransport('s1', createMemoryEventStores().forSession('s1'), TIMEOUT_MS);

/** A run that ends only when its signal aborts; `stopped` says whether it did. */
function untilStopped() {
  const state = { stopped: false };
  const run = (signal: AbortSignal) =>
    new Promise<JSONRPCMessage>((resolve) =>
      signal.addEventListener('abort', () => {
        state.stopped = true;
        resolve({ jsonrpc: '2.0', id: 1, result: { late: true } });
      }),
    );
  return { state, run };
}

const answered = (id: number): Promise<JSONRPCMessage> =>
  Promise.resolve({ jsonrpc: '2.0', id, result: { content: [] } });

describe('SessionTransport.runDirect', () => {
  it('answers with the run and counts the request as pending meanwhile', async () => {
    const t = transport();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const answer = t.runDirect(1, async () => {
      await gate;
      return answered(1);
    });
    expect(t.pendingCount).toBe(1);
    release();
    expect(await answer).toEqual({ jsonrpc: '2.0', id: 1, result: { content: [] } });
    expect(t.pendingCount).toBe(0);
  });

  it('refuses an id in flight, whether dispatched or run directly', async () => {
    const t = transport();
    const slow = untilStopped();
    const first = t.runDirect(1, slow.run);
    expect(await t.runDirect(1, () => answered(1))).toMatchObject({
      error: { message: 'Invalid Request: this id is already in use by a pending request' },
    });
    expect(
      await t.dispatch([{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: {} }], false),
    ).toMatchObject({ error: { code: -32600 } });
    await t.close();
    await first;
  });

  it('stops the work of a call the client cancels and answers it only with the timeout', async () => {
    const t = transport();
    const slow = untilStopped();
    const answer = t.runDirect(1, slow.run);
    await t.dispatch(
      [{ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } }],
      false,
    );
    expect(slow.state.stopped).toBe(true);
    expect(await answer).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32001, message: `Request timed out after ${TIMEOUT_MS} ms` },
    });
    expect(t.pendingCount).toBe(0);
  });

  it('stops the work when the client goes away, and when the session closes', async () => {
    const t = transport();
    const gone = new AbortController();
    const first = untilStopped();
    const dropped = t.runDirect(1, first.run, { signal: gone.signal });
    gone.abort();
    expect(await dropped).toMatchObject({ error: { code: -32001 } });
    expect(first.state.stopped).toBe(true);
    const second = untilStopped();
    const closed = t.runDirect(2, second.run);
    await t.close();
    expect(await closed).toMatchObject({ error: { message: 'Session closed' } });
    expect(second.state.stopped).toBe(true);
    expect(t.pendingCount).toBe(0);
  });
});
