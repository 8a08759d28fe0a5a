// A repeated JSON-RPC id in one session is answered with an error at once,
// never left hanging: two requests with one id in a batch get the first's
// answer and an Invalid Request error for the second, and the session goes on.
import { describe, expect, it } from 'vitest';
import { createBusiness, createKey } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';
import { mcpRequest, rawSession, toolsListBody } from '../support/raw-http.ts';

const h = useHarness('dupids');

describe('repeated JSON-RPC ids', () => {
  it('a batch with one id twice: an answer for the first, an Invalid Request error for the second', async () => {
    const { business } = await createBusiness(h.db, undefined, 0);
    const { key } = await createKey(h.db, { businessId: business.id });
    const sessionId = await rawSession(h.server.mcpUrl, key);
    const res = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: [
        { jsonrpc: '2.0', id: 7, method: 'ping' },
        { jsonrpc: '2.0', id: 7, method: 'tools/list' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { jsonrpc: '2.0', id: 7, result: {} },
      {
        jsonrpc: '2.0',
        id: 7,
        error: { code: -32600, message: expect.stringMatching(/id is already in use/) },
      },
    ]);
    // The id is free again once answered, and the session goes on.
    const next = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: { ...toolsListBody(), id: 7 },
    });
    expect(next.status).toBe(200);
    expect(next.json.result.tools.length).toBeGreaterThan(0);
  });
});
