// The 2025 fast path: a plain `tools/call` on a session answered through the
// session's ToolRunner (and a plain `ping`, whose answer is `{}`), beside its SDK server rather than through it (the
// SDK's request pipeline costs more than a read from the database). "Plain" is
// narrow on purpose: one request (no batch), only `name` and `arguments` in
// its params (no `_meta`, so no progress token), a tool the session's
// principal sees, and arguments that already fit the tool's input schema.
// Anything else (an unknown or hidden tool, bad arguments) goes to the SDK
// server, which answers it as it always has. The answer is the SDK's on a 2025
// session, byte for byte (tested against the SDK path), and the request is
// held to the session transport's rules: duplicate ids, the request timeout,
// cancellation, pending-request accounting (SessionTransport.runDirect).
import {
  callMayNeedClient,
  hiddenReason,
  type Principal,
  type ToolRegistry,
  type ToolRunner,
} from '@flowpos/core';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/server';
import {
  checkedOutput,
  fittingArguments,
  isPlainObject,
  plainRequest,
} from '../shared/fast-tool-call.ts';
import type { PlainToolCall } from '../shared/fast-tool-call.ts';
import type { SessionTransport } from './session-transport.ts';

const PARAMS_KEYS = new Set(['name', 'arguments']);
const NO_KEYS = new Set<string>();

/** A request the fast path answers for a session: a plain tools/call, or a ping (`{}`, nothing to run). */
export type PlainSessionRequest =
  { kind: 'ping'; id: string | number } | ({ kind: 'tools/call' } & PlainToolCall);

/** The request, when this POST body is one the fast path answers exactly as the session's SDK server would; else undefined. */
export function plainSessionRequest(
  registry: ToolRegistry,
  body: unknown,
  principal: Principal,
  /** What the client declared at initialize: a call that may ask it for approval is the SDK's. */
  capabilities: unknown,
): PlainSessionRequest | undefined {
  const ping = plainRequest(body, 'ping', NO_KEYS);
  if (ping) return { kind: 'ping', id: ping.id };
  const call = plainSessionCall(registry, body, principal, capabilities);
  return call && { kind: 'tools/call', ...call };
}

function plainSessionCall(
  registry: ToolRegistry,
  body: unknown,
  principal: Principal,
  capabilities: unknown,
): PlainToolCall | undefined {
  const request = plainRequest(body, 'tools/call', PARAMS_KEYS);
  if (!request) return undefined;
  const { id, params } = request;
  const { name } = params;
  const args = params.arguments === undefined ? {} : params.arguments;
  if (typeof name !== 'string' || !isPlainObject(args)) return undefined;
  const tool = registry.get(name);
  // The session's SDK server registers exactly the tools the principal sees.
  if (!tool || hiddenReason(tool, principal) !== null) return undefined;
  // An approval asked through the client (elicitation/create) is the SDK server's.
  if (callMayNeedClient(tool, capabilities)) return undefined;
  const parsed = fittingArguments(tool, args);
  return parsed && { id, tool, args: parsed };
}

/** A thrown protocol error, answered as the SDK server answers it. */
function errorAnswer(id: RequestId, error: unknown): JSONRPCMessage {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'number' || !Number.isSafeInteger(code)) throw error;
  return { jsonrpc: '2.0', id, error: { code, message: (error as Error).message } };
}

/**
 * Runs the request through the session's transport (which answers a duplicate
 * id, a timeout or a client gone as for any request) and returns its answer.
 */
export function serveSessionRequest(
  transport: SessionTransport,
  run: ToolRunner,
  request: PlainSessionRequest,
  signal: AbortSignal,
): Promise<JSONRPCMessage> {
  const { id } = request;
  if (request.kind === 'ping')
    return transport.runDirect(id, async () => ({ result: {}, jsonrpc: '2.0', id }), { signal });
  return transport.runDirect(
    id,
    async (stop) => {
      try {
        const result = await run(request.tool, request.args, stop);
        // The key order the SDK writes its response in.
        return { result: checkedOutput(request.tool, result), jsonrpc: '2.0', id };
      } catch (error) {
        return errorAnswer(id, error);
      }
    },
    { signal, toolCall: true },
  );
}
