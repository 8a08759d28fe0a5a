// The 2026-07-28 fast path: a plain `tools/call` answered without building an
// SDK server, bridging to web Request/Response and back, or converting
// schemas. "Plain" is narrow on purpose: one request (no batch), exactly the
// envelope a client sends (protocol version, client info, capabilities), the
// headers the SDK requires naming the same method and tool, a tool the caller
// may see, and arguments that already fit the tool's input schema. Anything
// else (an unknown or hidden tool, bad arguments, requestState or
// inputResponses, a call that may need the client (core's needs-client.ts),
// progress tokens, a header or envelope the SDK would refuse) goes to the
// SDK's handler, which answers it as it always has. The answer is
// the SDK's, byte for byte: the same ToolRunner, the same output validation,
// the same result projection (tested against the SDK path).
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import {
  callMayNeedClient,
  hiddenReason,
  SERVER_INFO,
  toolInputSchema,
  type Principal,
  type ToolDefinition,
  type ToolRegistry,
  type ToolRunner,
} from '@flowpos/core';
import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  isJsonContentType,
  PROTOCOL_VERSION_META_KEY,
  SERVER_INFO_META_KEY,
  type CallToolResult,
  type InboundClassificationOutcome,
} from '@modelcontextprotocol/server';
import { requestTimedOut } from '../../http/json-rpc.ts';

export const MODERN_REVISION = '2026-07-28';

const ENVELOPE_KEYS = new Set([
  PROTOCOL_VERSION_META_KEY,
  CLIENT_INFO_META_KEY,
  CLIENT_CAPABILITIES_META_KEY,
]);
const CLIENT_INFO_KEYS = new Set(['name', 'version', 'title']);
const PARAMS_KEYS = new Set(['name', 'arguments', '_meta']);
const MESSAGE_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
/** Arguments larger than this (keys and items, all levels) go to the SDK. */
const MAX_ARGUMENT_ELEMENTS = 64;

export interface PlainToolCall {
  id: string | number;
  tool: ToolDefinition;
  /** The arguments as the input schema parsed them (defaults applied), as the SDK hands them on. */
  args: Record<string, unknown>;
}

type Json = Record<string, unknown>;

export const isPlainObject = (value: unknown): value is Json =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

export const onlyKeys = (value: Json, allowed: Set<string>) => {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
};

function isClientInfo(value: unknown): boolean {
  if (!isPlainObject(value) || !onlyKeys(value, CLIENT_INFO_KEYS)) return false;
  if (typeof value.name !== 'string' || typeof value.version !== 'string') return false;
  return value.title === undefined || typeof value.title === 'string';
}

/** Capabilities whose every entry is an object (what the wire schema allows at the top). */
function isCapabilities(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) if (!isPlainObject(value[key])) return false;
  return true;
}

function elementCount(value: unknown, max: number): number {
  let count = 0;
  const stack = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (++count > max) return count;
      if (child !== null && typeof child === 'object') stack.push(child);
    }
  }
  return count;
}

/**
 * A lone JSON-RPC request for `method` with only the usual members, an id the
 * SDK answers as is, and params (absent: {}) holding only `paramsKeys`.
 */
export function plainRequest(
  body: unknown,
  method: string,
  paramsKeys: Set<string>,
): { id: string | number; params: Json } | undefined {
  if (!isPlainObject(body) || !onlyKeys(body, MESSAGE_KEYS)) return undefined;
  const { id } = body;
  if (body.jsonrpc !== '2.0' || body.method !== method) return undefined;
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id))))
    return undefined;
  const params = body.params === undefined ? {} : body.params;
  if (!isPlainObject(params) || !onlyKeys(params, paramsKeys)) return undefined;
  return { id, params };
}

/** The arguments as the tool's input schema parses them, when they are small and fit; else undefined. */
export function fittingArguments(
  tool: ToolDefinition,
  args: Json,
): Record<string, unknown> | undefined {
  if (elementCount(args, MAX_ARGUMENT_ELEMENTS) > MAX_ARGUMENT_ELEMENTS) return undefined;
  const parsed = toolInputSchema(tool).safeParse(args);
  return parsed.success ? (parsed.data as Record<string, unknown>) : undefined;
}

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
};

export class FastToolCalls {
  /** Tools whose input schema declares no `x-mcp-header` parameter (the SDK checks those per request). */
  private readonly eligible: Set<string>;

  private readonly registry: ToolRegistry;
  constructor(registry: ToolRegistry) {
    this.registry = registry;
    this.eligible = new Set(
      registry.tools
        .filter((tool) => {
          const json = toolInputSchema(tool)['~standard'].jsonSchema.input({
            target: 'draft-2020-12',
          });
          return !JSON.stringify(json).includes('x-mcp-header');
        })
        .map((tool) => tool.name),
    );
  }

  /** The call, when this request is one the fast path answers exactly as the SDK would; else undefined. */
  plainCall(
    headers: IncomingHttpHeaders,
    body: unknown,
    principal: Principal,
    /** The SDK's classification of this request (classifyInboundRequest), from the controller. */
    route: InboundClassificationOutcome,
  ): PlainToolCall | undefined {
    const request = plainRequest(body, 'tools/call', PARAMS_KEYS);
    if (!request) return undefined;
    const { id, params } = request;
    const { name, _meta: meta } = params;
    // Absent arguments are {}; null, arrays and the rest are the SDK's to refuse.
    const args = params.arguments === undefined ? {} : params.arguments;
    if (typeof name !== 'string' || !isPlainObject(args) || !isPlainObject(meta)) return undefined;
    if (!onlyKeys(meta, ENVELOPE_KEYS) || meta[PROTOCOL_VERSION_META_KEY] !== MODERN_REVISION)
      return undefined;
    if (!isClientInfo(meta[CLIENT_INFO_META_KEY])) return undefined;
    if (!isCapabilities(meta[CLIENT_CAPABILITIES_META_KEY])) return undefined;
    if (
      header(headers, 'mcp-protocol-version') !== MODERN_REVISION ||
      header(headers, 'mcp-method') !== 'tools/call' ||
      header(headers, 'mcp-name') !== name
    )
      return undefined;
    // The SDK's media-type test, stricter than the controller's prefix check
    // (`application/json-seq` is refused there with 415).
    if (!isJsonContentType(header(headers, 'content-type'))) return undefined;
    const accept = header(headers, 'accept') ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream'))
      return undefined;
    // The SDK's own envelope check (the wire schemas of client info and
    // capabilities, e.g. roots.listChanged a boolean), made once by the
    // controller on these headers and body: what it refuses, it answers.
    if (route.kind !== 'modern') return undefined;
    if (!this.eligible.has(name)) return undefined;
    const tool = this.registry.get(name);
    // The rule the single-tool SDK server applies (build-mcp-server.ts, onlyTool).
    if (!tool || hiddenReason(tool, principal) !== null) return undefined;
    // An approval asked through the client is the SDK's multi-round flow.
    if (callMayNeedClient(tool, meta[CLIENT_CAPABILITIES_META_KEY])) return undefined;
    const parsed = fittingArguments(tool, args);
    return parsed && { id, tool, args: parsed };
  }

  /**
   * Runs the call and writes its answer; a call past `timeoutMs` is answered
   * with the same -32001 error as on the SDK path, and one whose client went
   * away is not answered. Either way the tool is told through its signal.
   */
  async serve(
    res: ServerResponse,
    call: PlainToolCall,
    run: ToolRunner,
    timeoutMs: number,
  ): Promise<void> {
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    const onClose = () => {
      if (!res.writableFinished) abort.abort();
    };
    res.once('close', onClose);
    try {
      const result = await run(call.tool, call.args, abort.signal);
      if (res.destroyed || res.writableEnded) return;
      if (timedOut) return writeJson(res, JSON.stringify(requestTimedOut(call.id, timeoutMs)));
      writeJson(res, answer(call, checkedOutput(call.tool, result)));
    } finally {
      clearTimeout(timer);
      res.off('close', onClose);
    }
  }
}

/** The SDK's output check: structured content must fit the tool's output schema. */
export function checkedOutput(tool: ToolDefinition, result: CallToolResult): CallToolResult {
  if (result.isError) return result;
  if (result.structuredContent === undefined)
    return outputError(
      `Tool ${tool.name} has an output schema but no structured content was provided`,
    );
  const checked = tool.outputSchema.safeParse(result.structuredContent);
  if (checked.success) return result;
  const issues = checked.error.issues.map((issue) =>
    issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message,
  );
  return outputError(`Invalid structured content for tool ${tool.name}: ${issues.join(', ')}`);
}

function outputError(message: string): CallToolResult {
  return {
    content: [{ type: 'text', text: `Output validation error: ${message}` }],
    isError: true,
  };
}

/** The JSON-RPC answer as the SDK writes it on 2026-07-28 (key order included). */
function answer(call: PlainToolCall, result: CallToolResult): string {
  return JSON.stringify({
    result: {
      ...result,
      resultType: 'complete',
      _meta: { ...result._meta, [SERVER_INFO_META_KEY]: SERVER_INFO },
    },
    jsonrpc: '2.0',
    id: call.id,
  });
}

function writeJson(res: ServerResponse, body: string): void {
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
