// The audit trail's session events (opened, narrowed, closed): each names the
// session's business and credential as its principal stands at that moment.
import type { AuditLog, Principal } from '@flowpos/core';

export type SessionAction = 'mcp.session_opened' | 'mcp.session_narrowed' | 'mcp.session_closed';

export function recordSessionEvent(
  audit: AuditLog,
  action: SessionAction,
  principal: Principal,
  details: Record<string, unknown>,
): void {
  audit.record({
    businessId: principal.activeBusinessId,
    action,
    outcome: 'success',
    actorKind: principal.kind,
    actorId: principal.credentialId,
    details,
  });
}
