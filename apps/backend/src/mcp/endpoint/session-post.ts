// The 2025 rules for a POST /mcp body, checked before any session is looked
// up: the client accepts both JSON and SSE, the body is 1 to 100 JSON-RPC
// messages (the SDK's own batch limit), initialize comes alone and what a
// session keeps of it fits MCP_MAX_INITIALIZE_BYTES.
import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  initializeTooLarge,
  isInitializeRequest,
  isJsonRpcMessage,
  JSONRPC,
  sendJsonRpcError,
} from '../../http/json-rpc.ts';
import { initializeToStore } from '../sessions/stored-initialize.ts';

const MAX_BATCH = 100;

export interface SessionPost {
  messages: JSONRPCMessage[];
  initializing: boolean;
}

/** The body's messages when it keeps the rules; null once an error has been replied. */
export function checkSessionPost(
  request: FastifyRequest,
  reply: FastifyReply,
  body: unknown,
  maxInitializeBytes: number,
): SessionPost | null {
  const accept = request.headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    sendJsonRpcError(
      reply,
      406,
      JSONRPC.SERVER_ERROR,
      'Not Acceptable: Client must accept both application/json and text/event-stream',
    );
    return null;
  }
  const raw = Array.isArray(body) ? body : [body];
  if (raw.length === 0 || raw.length > MAX_BATCH || !raw.every(isJsonRpcMessage)) {
    sendJsonRpcError(
      reply,
      400,
      JSONRPC.INVALID_REQUEST,
      'Invalid Request: not a JSON-RPC 2.0 message',
    );
    return null;
  }
  const messages = raw as JSONRPCMessage[];
  const initializing = messages.some(isInitializeRequest);
  if (initializing && (messages.length > 1 || Array.isArray(body))) {
    sendJsonRpcError(
      reply,
      400,
      JSONRPC.INVALID_REQUEST,
      'Invalid Request: initialize must be sent alone',
    );
    return null;
  }
  if (
    initializing &&
    initializeTooLarge(
      initializeToStore((messages[0] as JSONRPCRequest).params),
      maxInitializeBytes,
    )
  ) {
    sendJsonRpcError(
      reply,
      400,
      JSONRPC.INVALID_REQUEST,
      `Invalid Request: protocolVersion, clientInfo and capabilities exceed ${maxInitializeBytes} bytes`,
    );
    return null;
  }
  return { messages, initializing };
}
