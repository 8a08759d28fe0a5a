// The JSON-RPC helpers of /mcp, in process: which bodies are messages the SDK
// reads (the rest must be refused with an error answer), initialize requests,
// and the error bodies the endpoint sends.
import { describe, expect, it } from 'vitest';
import {
  initializeTooLarge,
  isInitializeRequest,
  isJsonRpcMessage,
  jsonRpcError,
  JSONRPC,
  requestTimedOut,
} from '../../src/http/json-rpc.ts';

describe('isJsonRpcMessage', () => {
  it('accepts requests, notifications and responses as the SDK reads them', () => {
    for (const message of [
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'whoami', _meta: {} } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 1, result: {} },
      { jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } },
    ])
      expect(isJsonRpcMessage(message), JSON.stringify(message)).toBe(true);
  });

  it('refuses what the SDK would drop without an answer', () => {
    for (const value of [
      null,
      'tools/list',
      42,
      [{ jsonrpc: '2.0', id: 1, method: 'tools/list' }],
      { id: 1, method: 'tools/list' },
      { jsonrpc: '1.0', id: 1, method: 'tools/list' },
      { jsonrpc: '2.0', id: 1.5, method: 'tools/list' },
      { jsonrpc: '2.0', id: { nested: true }, method: 'tools/list' },
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: ['whoami'] },
      { jsonrpc: '2.0', id: 1 },
      { jsonrpc: '2.0', method: 7 },
    ])
      expect(isJsonRpcMessage(value), JSON.stringify(value)).toBe(false);
  });
});

describe('isInitializeRequest', () => {
  it('is an initialize with an id, nothing else', () => {
    expect(isInitializeRequest({ jsonrpc: '2.0', id: 0, method: 'initialize', params: {} })).toBe(
      true,
    );
    expect(isInitializeRequest({ jsonrpc: '2.0', method: 'initialize' })).toBe(false);
    expect(isInitializeRequest({ jsonrpc: '2.0', id: 0, method: 'tools/list' })).toBe(false);
    expect(isInitializeRequest([{ jsonrpc: '2.0', id: 0, method: 'initialize' }])).toBe(false);
    expect(isInitializeRequest(null)).toBe(false);
  });
});

describe('error bodies', () => {
  it('are JSON-RPC errors with the id they answer (null when none)', () => {
    expect(jsonRpcError(JSONRPC.PARSE_ERROR, 'Parse error')).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error' },
      id: null,
    });
    expect(jsonRpcError(JSONRPC.INVALID_REQUEST, 'Bad', 'req-1').id).toBe('req-1');
  });

  it('a timed-out request is answered -32001 with the time it waited, as the SDK does', () => {
    expect(requestTimedOut(7, 1500)).toEqual({
      jsonrpc: '2.0',
      error: { code: -32001, message: 'Request timed out after 1500 ms' },
      id: 7,
    });
  });
});

describe('initializeTooLarge', () => {
  it('counts UTF-8 bytes of what is stored, not characters', () => {
    const stored = { clientInfo: { name: 'é'.repeat(10) } };
    const bytes = Buffer.byteLength(JSON.stringify(stored));
    expect(JSON.stringify(stored).length).toBeLessThan(bytes);
    expect(initializeTooLarge(stored, bytes)).toBe(false);
    expect(initializeTooLarge(stored, bytes - 1)).toBe(true);
  });
});
