// JSON-RPC error bodies for the MCP endpoint: every refusal on /mcp is a
// JSON-RPC error with a status code, never an HTML page or a bare string.
import {
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResponse,
} from '@modelcontextprotocol/server';
import type { FastifyReply } from 'fastify';

export const JSONRPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  SERVER_ERROR: -32000,
  SESSION_NOT_FOUND: -32001,
  /** A request the server ended without its answer (timeout, session closed), as the SDK's RequestTimeout. */
  REQUEST_ENDED: -32001,
} as const;

export function jsonRpcError<Id extends string | number | null = null>(
  code: number,
  message: string,
  id: Id = null as Id,
) {
  return { jsonrpc: '2.0' as const, error: { code, message }, id };
}

/** The answer to a request that outlived MCP_REQUEST_TIMEOUT_MS, on both eras. */
export function requestTimedOut<Id extends string | number | null>(id: Id, afterMs: number) {
  return jsonRpcError(JSONRPC.REQUEST_ENDED, `Request timed out after ${afterMs} ms`, id);
}

export function sendJsonRpcError(
  reply: FastifyReply,
  status: number,
  code: number,
  message: string,
) {
  return reply.code(status).type('application/json').send(jsonRpcError(code, message));
}

/**
 * A JSON-RPC 2.0 message as the SDK reads it (its own schemas: an id that is a
 * string or a safe integer, object params and `_meta`, no unknown members).
 * Anything else is refused here with an error answer: the SDK would drop it
 * without one, and a request would wait for an answer that never comes.
 */
export function isJsonRpcMessage(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if ((value as { jsonrpc?: unknown }).jsonrpc !== '2.0') return false;
  if ('method' in value) {
    return 'id' in value ? isJSONRPCRequest(value) : isJSONRPCNotification(value);
  }
  return isJSONRPCResponse(value);
}

export function isInitializeRequest(value: unknown): value is {
  jsonrpc: '2.0';
  id: string | number;
  method: 'initialize';
  params?: Record<string, unknown>;
} {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    (value as { method?: unknown }).method === 'initialize' &&
    'id' in value
  );
}

/** What a session keeps of initialize is bounded: true when `stored` (every stored field, as stored) is over `maxBytes`. */
export function initializeTooLarge(stored: object, maxBytes: number): boolean {
  return Buffer.byteLength(JSON.stringify(stored)) > maxBytes;
}
