// Checks a tools/call before the SDK sees it, so that a bad call gets an
// answer a model can act on: JSON-RPC -32602 when `arguments` is not an object
// (the SDK would answer -32603 with its schema dump), and a one-line isError
// result naming each bad field when the arguments do not fit the tool's input
// schema (the SDK would join its messages over several lines). Works on the
// SDK's public Transport interface only.
import {
  isJSONRPCRequest,
  ProtocolErrorCode,
  type CallToolResult,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { ToolDefinition } from '../tools/tool-definition.ts';

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

const schemas = new WeakMap<ToolDefinition, z.ZodObject>();

/** A tool's input schema as a zod object, built once per tool (every 2026 request builds a server). */
export function toolInputSchema(tool: ToolDefinition): z.ZodObject {
  let schema = schemas.get(tool);
  if (!schema) schemas.set(tool, (schema = z.object(tool.inputSchema)));
  return schema;
}

/** Why these arguments do not fit the tool, in one line; null when they do. */
export function argumentProblem(tool: ToolDefinition, args: unknown): string | null {
  const result = toolInputSchema(tool).safeParse(args ?? {});
  if (result.success) return null;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.join('.');
    return `${path ? `${path}: ` : ''}${issue.message}`.replace(/\s+/g, ' ');
  });
  return `Invalid arguments for tool ${tool.name}: ${problems.join('; ')}`;
}

/** Whether a tools/call with these arguments is refused before `tool` runs (not an object, or not fitting its schema). */
export function argumentsRefused(tool: ToolDefinition, args: unknown): boolean {
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args)))
    return true;
  return argumentProblem(tool, args) !== null;
}

/**
 * The answer to send instead of dispatching `message`, or null to dispatch it.
 * `visibleTool` returns a tool only when the caller may see it, so a hidden
 * tool's schema is never revealed (the SDK then answers "not found").
 */
export function refuseBadToolCall(
  message: JSONRPCMessage,
  visibleTool: (name: string) => ToolDefinition | undefined,
  /** Told when a visible tool is refused for its arguments (usage counts it). */
  onBadArguments?: (tool: ToolDefinition) => void,
): JSONRPCMessage | null {
  if (!isJSONRPCRequest(message) || message.method !== 'tools/call') return null;
  const params = message.params as Record<string, unknown> | undefined;
  const invalid = (text: string): JSONRPCMessage => ({
    jsonrpc: '2.0',
    id: message.id,
    error: { code: ProtocolErrorCode.InvalidParams, message: `Invalid params: ${text}` },
  });
  if (typeof params?.name !== 'string') return invalid('tools/call needs the tool name as name');
  const args = params.arguments;
  const tool = visibleTool(params.name);
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    if (tool) onBadArguments?.(tool);
    return invalid(`arguments must be an object of named arguments, not ${kindOf(args)}`);
  }
  const problem = tool ? argumentProblem(tool, args) : null;
  if (problem === null || !tool) return null;
  onBadArguments?.(tool);
  const result: CallToolResult = { content: [{ type: 'text', text: problem }], isError: true };
  return { jsonrpc: '2.0', id: message.id, result };
}

/** `inner`, with refused tool calls answered directly instead of reaching the server. */
export function checkingToolCalls(
  inner: Transport,
  visibleTool: (name: string) => ToolDefinition | undefined,
  onBadArguments?: (tool: ToolDefinition) => void,
): Transport {
  let onmessage: Transport['onmessage'];
  return {
    start: () => inner.start(),
    close: () => inner.close(),
    send: (message, options) => inner.send(message, options),
    get sessionId() {
      return inner.sessionId;
    },
    setProtocolVersion: (version) => inner.setProtocolVersion?.(version),
    get onclose() {
      return inner.onclose;
    },
    set onclose(handler) {
      inner.onclose = handler;
    },
    get onerror() {
      return inner.onerror;
    },
    set onerror(handler) {
      inner.onerror = handler;
    },
    get onmessage() {
      return onmessage;
    },
    set onmessage(handler) {
      onmessage = handler;
      inner.onmessage = handler
        ? (message, extra) => {
            const answer = refuseBadToolCall(message, visibleTool, onBadArguments);
            if (!answer) return handler(message, extra);
            inner.send(answer).catch((error: unknown) => inner.onerror?.(error as Error));
          }
        : undefined;
    },
  };
}
