// Runs one tool call for a principal, whatever carried it (an SDK server on a
// 2025 session or a 2026 request, or the 2026 fast path): the tool must be
// visible to the principal as of this call, its handler runs against the
// active business with the request's signal, errors become results a model
// can read, and every call is audited (which feeds metrics and traces).
import {
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
} from '@modelcontextprotocol/server';
import type { AuditLog } from '../audit.ts';
import { isAppError, type AppErrorCode } from '../errors.ts';
import { DEPENDENCY_DOWN, isDependencyOutage } from '../dependency-outage.ts';
import type { Principal } from '../principal.ts';
import type { ToolContext, ToolDefinition } from '../tools/tool-definition.ts';
import { hiddenReason } from '../tools/tool-registry.ts';
import type { ToolCallObserver, UsageOutcome } from '../usage/usage-counter.ts';

export interface SessionBinding {
  /** The 2025 session id; null for a 2026 (sessionless) request. */
  sessionId: string | null;
  /** The session's current principal (kept in sync with the store by the caller). */
  principal(): Principal;
  /** What every tool of this session runs with, besides the principal. */
  context: Omit<ToolContext, 'principal' | 'sessionId' | 'signal'>;
}

export interface ToolRunnerOptions {
  audit: AuditLog;
  onUnexpectedError?: (error: unknown, tool: string) => void;
  /** Usage counting (usage-counter.ts): told of every call, in memory only; absent when switched off. */
  usage?: ToolCallObserver | undefined;
}

/** How usage counts a tool's AppError: refused, the caller's arguments, or a failure. */
const USAGE_OUTCOME: Record<AppErrorCode, UsageOutcome> = {
  FORBIDDEN: 'refused',
  UNAUTHORIZED: 'refused',
  TOO_MANY_REQUESTS: 'refused',
  BAD_REQUEST: 'bad_arguments',
  NOT_FOUND: 'bad_arguments',
  PAYLOAD_TOO_LARGE: 'bad_arguments',
  CONFLICT: 'failed',
  UNAVAILABLE: 'failed',
};

/** A tool's value as text (for clients that read text) and as structuredContent. */
export function toolResult(value: unknown): CallToolResult {
  const text = JSON.stringify(value);
  const structured =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (JSON.parse(text) as Record<string, unknown>)
      : undefined;
  return {
    content: [{ type: 'text', text }],
    ...(structured ? { structuredContent: structured } : {}),
  };
}

export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

class RequestCancelled extends Error {}

/** The work's outcome, or RequestCancelled as soon as `signal` aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new RequestCancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new RequestCancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export type ToolRunner = (
  tool: ToolDefinition,
  args: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<CallToolResult>;

export function createToolRunner(binding: SessionBinding, options: ToolRunnerOptions): ToolRunner {
  return async (tool, args, signal) => {
    const principal = binding.principal();
    // Enforced at call time too: a tool hidden since registration is unknown.
    if (hiddenReason(tool, principal) !== null) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${tool.name} not found`);
    }
    const started = performance.now();
    let outcome: 'success' | 'failure' | 'denied' = 'success';
    let errorMessage: string | undefined;
    let usageOutcome: UsageOutcome = 'ok';
    try {
      // A cancelled request (client gone, timed out) stops being waited for:
      // its answer would be dropped anyway. Work already sent to the database finishes there.
      const value = await untilAborted(
        tool.handler(args, { ...binding.context, principal, sessionId: binding.sessionId, signal }),
        signal,
      );
      return toolResult(value);
    } catch (error) {
      if (error instanceof RequestCancelled) {
        outcome = 'failure';
        usageOutcome = 'failed';
        errorMessage = 'cancelled';
        return toolError(`${tool.name} was cancelled`);
      }
      if (isAppError(error)) {
        outcome = error.code === 'FORBIDDEN' ? 'denied' : 'failure';
        usageOutcome = USAGE_OUTCOME[error.code] ?? 'failed';
        errorMessage = error.message;
        return toolError(error.message);
      }
      outcome = 'failure';
      usageOutcome = 'failed';
      // PostgreSQL or Redis away: not a bug; the caller is told to try again (no error log per call).
      if (isDependencyOutage(error)) {
        errorMessage = 'dependency unavailable';
        return toolError(`${tool.name}: ${DEPENDENCY_DOWN}`);
      }
      errorMessage = 'internal error';
      options.onUnexpectedError?.(error, tool.name);
      const report = binding.sessionId ? `, or report session ${binding.sessionId}` : '';
      return toolError(
        `${tool.name} failed unexpectedly; the error was logged. Try again${report}.`,
      );
    } finally {
      const durationMs = performance.now() - started;
      options.usage?.({
        businessId: principal.activeBusinessId,
        credential: principal.credentialId,
        tool: tool.name,
        outcome: usageOutcome,
        durationMs,
      });
      options.audit.record({
        businessId: principal.activeBusinessId,
        action: 'mcp.tools_call',
        outcome,
        actorKind: principal.kind,
        actorId: principal.credentialId,
        details: {
          tool: tool.name,
          sessionId: binding.sessionId,
          durationMs: Math.round(durationMs * 100) / 100,
          ...(errorMessage ? { error: errorMessage } : {}),
        },
      });
      // Answered only once its event is written: a backend killed right
      // after answering has lost no event (a group commit: one INSERT per
      // round trip, shared by the calls that waited for it).
      await options.audit.committed();
    }
  };
}
