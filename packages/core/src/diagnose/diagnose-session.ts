// A session id: alive (who holds it, the instance that last served it, what
// its credential grants now) or ended — when and why, from the audit trail
// (`mcp.session_opened` / `mcp.session_closed` with its reason) and the
// credential's state (revoked, expired, no business left, else idle).
import type { AuditEventModel as AuditEvent } from '@flowpos/db';
import type { DiagnoseDeps, Viewer } from './diagnose-context.ts';
import { toolFindings } from './diagnose-context.ts';
import { currentPrincipal } from './current-principal.ts';
import { toolProblem } from './diagnose-shared.ts';
import { fact, finding, foundDiagnosis, notFoundDiagnosis } from './diagnosis.ts';
import type { Diagnosis, Fact, Finding } from './diagnosis.ts';
import type { SessionRecord } from '../sessions/session-record.ts';
import { sameRights } from '../principal.ts';

const SESSION_ACTIONS = [
  'mcp.session_opened',
  'mcp.session_closed',
  'mcp.session_narrowed',
  'mcp.tools_call',
];

export async function diagnoseSession(
  deps: DiagnoseDeps,
  viewer: Viewer,
  sessionId: string,
  tool: string | undefined,
): Promise<Diagnosis> {
  const record = await deps.store.get(sessionId);
  if (record) {
    if (!viewer.seesAny(record.principal.authorizedBusinessIds))
      return notFoundDiagnosis('session_id', sessionId);
    return aliveDiagnosis(deps, record, tool);
  }
  const events = await deps.db.auditEvent.findMany({
    where: { action: { in: SESSION_ACTIONS }, details: { path: ['sessionId'], equals: sessionId } },
    orderBy: { createdAt: 'desc' },
    take: 100,
  });
  const opened = events.find((e) => e.action === 'mcp.session_opened');
  if (!opened?.businessId || !viewer.sees(opened.businessId))
    return notFoundDiagnosis('session_id', sessionId);
  return endedDiagnosis(deps, sessionId, opened, events);
}

async function aliveDiagnosis(
  deps: DiagnoseDeps,
  record: SessionRecord,
  tool: string | undefined,
): Promise<Diagnosis> {
  const findings: Finding[] = [];
  const now = await currentPrincipal(deps, record.credential);
  if (!now.principal) {
    findings.push(
      finding(
        'session.loses_rights',
        'problem',
        'unknownSession',
        `Its credential grants nothing now (${now.why}): the session ends on its next request`,
        ['sessionEnded', 'reinitialize'],
      ),
    );
  } else if (!sameRights(record.principal, now.principal)) {
    findings.push(
      finding(
        'session.narrows',
        'warning',
        'toolMissing',
        'Its credential grants other rights now: the next request updates the session and sends tools/list_changed',
        ['visibilityRules'],
      ),
    );
  }
  findings.push(
    finding(
      'session.alive',
      'ok',
      'unknownSession',
      `The session is alive; a 404 Unknown session ID for it means the request came with another credential than ${record.principal.label}`,
      ['sessionCredential'],
    ),
  );
  if (record.principal.authorizedBusinessIds.length <= 1) {
    findings.push(
      finding(
        'session.one_business',
        'ok',
        'activeBusiness',
        'Its credential is authorized for one business: set_active_business is not offered',
        ['setActiveBusiness'],
      ),
    );
  }
  const tools = toolFindings(deps.registry, record.principal);
  const toolIssue = toolProblem(tools, tool, 'keyScopes');
  if (toolIssue) findings.push(toolIssue);
  return foundDiagnosis('session_id', record.id, `Session ${record.id} (alive)`, {
    findings,
    facts: [
      fact('State', 'alive'),
      fact('Credential', `${record.principal.label} (${record.principal.kind})`),
      fact('Role', record.principal.role),
      fact('Scopes', record.principal.scopes.join(' ')),
      fact('Active business', record.principal.activeBusinessId),
      fact(
        'Client',
        `${record.initialize.clientInfo.name} ${record.initialize.clientInfo.version}`,
      ),
      fact('Protocol', record.initialize.protocolVersion),
      fact('Opened', new Date(record.createdAt)),
      fact('Last request', new Date(record.lastSeenAt)),
      fact('Instance that last served it', record.instanceId),
    ],
    tools,
  });
}

const REASONS: Record<string, { code: string; why: string }> = {
  no_business: {
    code: 'session.lost_rights',
    why: 'it lost its rights: its credential was left with no business (membership deactivated or removed)',
  },
  ended_by_operator: {
    code: 'session.ended_by_operator',
    why: 'a platform operator ended it (Sessions page or end_session)',
  },
  ended_by_member: {
    code: 'session.ended_by_member',
    why: 'a merchant of its business ended it (Sessions page)',
  },
  credential_revoked: { code: 'session.revoked', why: 'its credential was revoked' },
};

async function endedDiagnosis(
  deps: DiagnoseDeps,
  sessionId: string,
  opened: AuditEvent,
  events: AuditEvent[],
): Promise<Diagnosis> {
  const closed = events.find((e) => e.action === 'mcp.session_closed');
  const lastActivity = events.find((e) => e.action !== 'mcp.session_closed') ?? opened;
  const openedDetails = opened.details as {
    client?: string;
    protocolVersion?: string;
    instanceId?: string;
  };
  const lastInstance = (
    events.find((e) => (e.details as { instanceId?: string }).instanceId)?.details as
      { instanceId?: string } | undefined
  )?.instanceId;
  const credential = opened.actorId ?? '';
  const state = await currentPrincipal(deps, credential);
  let code: string;
  let why: string;
  let when: Date | null = closed?.createdAt ?? null;
  const reason = (closed?.details as { reason?: string } | undefined)?.reason;
  if (closed && reason && REASONS[reason]) {
    ({ code, why } = REASONS[reason]);
    if (reason === 'credential_revoked' && state.why) why = `${why} (${state.why})`;
  } else if (closed) {
    code = 'session.deleted';
    why = 'the client deleted it (DELETE /mcp)';
  } else if (state.revokedAt) {
    code = 'session.revoked';
    why = `its credential was revoked (${state.why})`;
    when = state.revokedAt;
  } else if (state.expiredAt) {
    code = 'session.key_expired';
    why = `its API key expired`;
    when = state.expiredAt;
  } else if (!state.principal) {
    code = 'session.lost_rights';
    why = `it lost its rights (${state.why})`;
  } else {
    code = 'session.idle';
    const idleSeconds = Math.round(deps.store.idleTtlMs / 1000);
    why = `it was idle: no request for ${idleSeconds} s (SESSION_IDLE_TIMEOUT_SECONDS) after its last one at ${lastActivity.createdAt.toISOString()}`;
    when = new Date(lastActivity.createdAt.getTime() + deps.store.idleTtlMs);
  }
  const steps =
    code === 'session.idle'
      ? (['sessionIdle', 'reinitialize'] as const)
      : code === 'session.key_expired'
        ? (['sessionKeyExpiry', 'regenerate', 'reinitialize'] as const)
        : code === 'session.revoked'
          ? (['sessionEnded', 'regenerate', 'reinitialize'] as const)
          : (['sessionEnded', 'reinitialize'] as const);
  const findings = [
    finding(
      code,
      'problem',
      'unknownSession',
      `The session ended${when ? ` at ${when.toISOString()}` : ''}: ${why}`,
      [...steps],
    ),
  ];
  const facts: Fact[] = [
    fact('State', 'ended'),
    fact('Ended', when),
    fact('Credential', state.label ?? credential),
    fact('Client', openedDetails.client),
    fact('Protocol', openedDetails.protocolVersion),
    fact('Opened', opened.createdAt),
    fact('Last request seen', lastActivity.createdAt),
    fact('Instance that last served it', lastInstance),
  ];
  return foundDiagnosis('session_id', sessionId, `Session ${sessionId}`, { findings, facts });
}
