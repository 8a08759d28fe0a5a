// Every tool call, in either protocol era, is audited as `mcp.tools_call` with
// its tool, outcome, duration and session: metrics and traces are taken from
// that record, so the MCP layer carries no observability code of its own.
import type { AuditEntry, AuditLog } from '@flowpos/core';

export interface ToolCall {
  tool: string;
  outcome: AuditEntry['outcome'];
  seconds: number;
  sessionId?: string;
}

export type ToolCallListener = (call: ToolCall) => void;

export function observeToolCalls(audit: AuditLog, listeners: ToolCallListener[]): AuditLog {
  if (listeners.length === 0) return audit;
  return {
    record(entry: AuditEntry) {
      if (entry.action === 'mcp.tools_call') {
        const { tool, durationMs, sessionId } = entry.details ?? {};
        if (typeof tool === 'string' && typeof durationMs === 'number') {
          const call: ToolCall = {
            tool,
            outcome: entry.outcome,
            seconds: durationMs / 1000,
            ...(typeof sessionId === 'string' ? { sessionId } : {}),
          };
          for (const listener of listeners) listener(call);
        }
      }
      audit.record(entry);
    },
    committed: () => audit.committed(),
    flush: () => audit.flush(),
    close: () => audit.close(),
  };
}
