// The JSON-RPC messages SessionTransport writes itself: the 2025 answer to an
// unknown tool, SSE events on the GET stream, the duplicate-id refusal.
import type { ServerResponse } from 'node:http';
import {
  isJSONRPCErrorResponse,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/server';
import { JSONRPC, jsonRpcError } from '../../http/json-rpc.ts';

/**
 * 2025 sessions answered an unknown (or hidden) tool with an isError result
 * carrying the protocol error's text, as SDK 1.x did; SDK 2 answers a JSON-RPC
 * error. Sessions keep the answer their clients were built against.
 */
export function legacyUnknownTool(message: JSONRPCMessage): JSONRPCMessage {
  if (!isJSONRPCErrorResponse(message)) return message;
  const { code, message: text } = message.error;
  if (code !== -32602 || !/^Tool .+ not found$/.test(text)) return message;
  return {
    jsonrpc: '2.0',
    id: message.id as RequestId,
    result: { content: [{ type: 'text', text: `MCP error -32602: ${text}` }], isError: true },
  };
}

export function writeEvent(res: ServerResponse, id: string, message: JSONRPCMessage): void {
  res.write(`event: message\nid: ${id}\ndata: ${JSON.stringify(message)}\n\n`);
}

export function duplicateIdError(id: RequestId): JSONRPCMessage {
  return jsonRpcError(
    JSONRPC.INVALID_REQUEST,
    'Invalid Request: this id is already in use by a pending request',
    id,
  );
}
