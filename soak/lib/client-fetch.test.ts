import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryAdvice } from './client-fetch.ts';

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });
const rpc = JSON.stringify({
  jsonrpc: '2.0',
  error: { code: -32000, message: 'try again' },
  id: null,
});

describe('retryAdvice', () => {
  it('takes a 503 with Retry-After and a JSON-RPC error as a "try again"', () => {
    const a = retryAdvice(503, headers({ 'retry-after': '1' }), rpc);
    assert.deepEqual(a, { retryable: true, waitMs: 1_000 });
  });

  it('flags a 503 without Retry-After or without a JSON-RPC body', () => {
    assert.match(retryAdvice(503, headers({}), rpc).problem ?? '', /no Retry-After/);
    assert.match(
      retryAdvice(503, headers({ 'retry-after': '1' }), '<html>503</html>').problem ?? '',
      /no JSON-RPC error body/,
    );
  });

  it('flags every 500 and does not retry it', () => {
    const a = retryAdvice(500, headers({ 'retry-after': '1' }), rpc);
    assert.equal(a.retryable, false);
    assert.match(a.problem ?? '', /status 500/);
  });

  it("reads tRPC's error envelope on console calls", () => {
    const trpc = JSON.stringify({ error: { json: { message: 'unavailable', code: -32603 } } });
    assert.equal(
      retryAdvice(503, headers({ 'retry-after': '1' }), trpc, 'trpc').problem,
      undefined,
    );
  });

  it('caps the wait and leaves non-5xx alone', () => {
    assert.equal(retryAdvice(503, headers({ 'retry-after': '120' }), rpc).waitMs, 2_000);
    assert.deepEqual(retryAdvice(404, headers({}), ''), { retryable: false, waitMs: 0 });
  });
});
