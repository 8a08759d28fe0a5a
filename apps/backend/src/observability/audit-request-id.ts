// A tools/call's audit event carries the id of the HTTP request that carried
// it (the load balancer's or the client's x-request-id, else a fresh one):
// an event can then be matched to the answer a client got — the soak proves
// "an audit event for every call answered" call by call, not by counting —
// and to the request's log lines. One AsyncLocalStorage read per call.
import type { AuditEntry, AuditLog } from '@flowpos/core';
import { currentRequestId } from './request-context.ts';

export function withRequestId(audit: AuditLog): AuditLog {
  return {
    record(entry: AuditEntry) {
      const requestId = entry.action === 'mcp.tools_call' ? currentRequestId() : undefined;
      audit.record(requestId ? { ...entry, details: { ...entry.details, requestId } } : entry);
    },
    committed: () => audit.committed(),
    flush: () => audit.flush(),
    close: () => audit.close(),
  };
}
