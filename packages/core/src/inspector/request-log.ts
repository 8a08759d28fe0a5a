// The session inspector's record of one MCP request, and how a request as the
// endpoint saw it becomes one: argument NAMES only, a value only for a field
// its tool marks safe to show (`inspectableArguments`), everything cut short
// and made storable, since method, tool and argument names come from clients.
import { storableText } from '../storable.ts';

/** How many requests are kept per session or sessionless client. */
export const REQUEST_LOG_CAP = 200;
/** Argument names kept per request (a client may send thousands). */
export const MAX_ARGUMENT_NAMES = 32;
const MAX_NAME_CHARS = 64;
const MAX_METHOD_CHARS = 100;
const MAX_VALUE_CHARS = 120;

export type RequestOutcome = 'ok' | 'tool_error' | 'error';

export interface InspectedArgument {
  name: string;
  /** Only for a field its tool marks safe to show. */
  value?: string;
}

export interface RequestLogEntry {
  /** When the request arrived (ms since the epoch). */
  at: number;
  method: string;
  /** The tool a `tools/call` named. */
  tool?: string;
  outcome: RequestOutcome;
  /** JSON-RPC error code, or the HTTP status of a refused request. */
  errorCode?: number;
  durationMs: number;
  instanceId: string;
  /** The business the request acted for: viewers see only their businesses' requests. */
  businessId: string;
  arguments: InspectedArgument[];
}

/** Which log: a 2025 session's, or a sessionless (2026) client's, per credential. */
export type RequestLogTarget = { sessionId: string } | { credential: string };

export function requestLogKey(target: RequestLogTarget): string {
  return 'sessionId' in target ? `session:${target.sessionId}` : `client:${target.credential}`;
}

/**
 * A request as the endpoint hands it over: raw, so the hot path only keeps
 * references; `inspectedEntry` makes the entry later, off the request.
 */
export interface ObservedRequest {
  at: number;
  method: unknown;
  /** The request's `params` (tools/call: name and arguments). */
  params: unknown;
  outcome: RequestOutcome;
  errorCode?: number | undefined;
  durationMs: number;
  businessId: string;
}

const cut = (value: string, max: number) => storableText(value.slice(0, max));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shownValue(value: unknown): string | undefined {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return cut(JSON.stringify(value), MAX_VALUE_CHARS);
  }
  return undefined;
}

/**
 * Argument names, in the order sent, and the values of the names in `safe`
 * (the tool's `inspectableArguments`; empty for an unknown tool). Primitive
 * values only: a safe field holding an object shows its name alone.
 */
export function inspectedArguments(
  args: unknown,
  safe: readonly string[] | undefined,
): InspectedArgument[] {
  if (!isRecord(args)) return [];
  const shown: InspectedArgument[] = [];
  for (const name of Object.keys(args)) {
    if (shown.length === MAX_ARGUMENT_NAMES) break;
    const value = safe?.includes(name) ? shownValue(args[name]) : undefined;
    shown.push({ name: cut(name, MAX_NAME_CHARS), ...(value !== undefined ? { value } : {}) });
  }
  return shown;
}

/** The entry to keep for an observed request; `safeArguments` reads a tool's marker. */
export function inspectedEntry(
  observed: ObservedRequest,
  instanceId: string,
  safeArguments: (tool: string) => readonly string[] | undefined,
): RequestLogEntry {
  const method = typeof observed.method === 'string' ? observed.method : '(no method)';
  const params = isRecord(observed.params) ? observed.params : {};
  const tool = method === 'tools/call' && typeof params.name === 'string' ? params.name : undefined;
  return {
    at: observed.at,
    method: cut(method, MAX_METHOD_CHARS),
    ...(tool !== undefined ? { tool: cut(tool, MAX_METHOD_CHARS) } : {}),
    outcome: observed.outcome,
    ...(observed.errorCode !== undefined ? { errorCode: observed.errorCode } : {}),
    durationMs: Math.round(observed.durationMs * 100) / 100,
    instanceId,
    businessId: observed.businessId,
    arguments: tool !== undefined ? inspectedArguments(params.arguments, safeArguments(tool)) : [],
  };
}

/**
 * The outcome of a JSON-RPC answer: an error's code, a tool result marked
 * `isError`, or ok (also for a notification, which has no answer).
 */
export function answerOutcome(answer: unknown): Pick<ObservedRequest, 'outcome' | 'errorCode'> {
  if (!isRecord(answer)) return { outcome: 'ok' };
  if (isRecord(answer.error)) {
    const code = answer.error.code;
    return { outcome: 'error', errorCode: typeof code === 'number' ? code : undefined };
  }
  if (isRecord(answer.result) && answer.result.isError === true) return { outcome: 'tool_error' };
  return { outcome: 'ok' };
}
