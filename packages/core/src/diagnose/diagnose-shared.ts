// Pieces every credential's diagnosis shares: the rule hiding a tool asked
// about, and the credential's live sessions (how many, which instance served
// the latest, which business a sessionless client chose).
import type { ActivityCursor } from '../sessions/activity-cursor.ts';
import type { ClientActivity } from '../sessions/client-activity.ts';
import type { DiagnoseDeps } from './diagnose-context.ts';
import { fact, finding, type Fact, type Finding, type ToolFinding } from './diagnosis.ts';
import type { StepId } from './runbook.ts';

/** Sessions read per credential at most (the store caps them per credential anyway). */
const MAX_SESSIONS_READ = 20;
/** Sessionless clients read at most, most recently active first, to find the credential's. */
const MAX_CLIENTS_READ = 1000;
const CLIENT_CHUNK = 250;

/** The credential's sessionless (2026-07-28) client, if one was active lately. */
async function sessionlessClient(
  deps: DiagnoseDeps,
  credential: string,
): Promise<ClientActivity | null> {
  let after: ActivityCursor | null = null;
  for (let read = 0; read < MAX_CLIENTS_READ; read += CLIENT_CHUNK) {
    const chunk = await deps.store.pageClients(after, CLIENT_CHUNK);
    const found = chunk.find((c) => c.credential === credential);
    if (found) return found;
    const last = chunk.at(-1);
    if (!last || chunk.length < CLIENT_CHUNK) return null;
    after = { lastSeenAt: last.lastSeenAt, key: last.credential };
  }
  return null;
}

/**
 * A finding for the tool asked about: unknown, or hidden by the rule that
 * hides it (ToolRegistry's hiddenReason, whatever rule that is), with the
 * runbook's step for the credential's kind (`scopeStep`).
 */
export function toolProblem(
  tools: readonly ToolFinding[],
  tool: string | undefined,
  scopeStep: StepId,
): Finding | null {
  if (!tool) return null;
  const found = tools.find((t) => t.name === tool);
  if (!found) {
    return finding('tool.unknown', 'warning', 'toolMissing', `No tool is named "${tool}"`, [
      'visibilityRules',
    ]);
  }
  if (found.hiddenBy === null) return null;
  return finding(
    'tool.hidden',
    'problem',
    'toolMissing',
    `Tool ${tool} is hidden from this credential: ${found.hiddenBy}`,
    [scopeStep, 'visibilityRules'],
  );
}

export interface CredentialSessions {
  facts: Fact[];
  findings: Finding[];
}

export async function credentialSessions(
  deps: DiagnoseDeps,
  credential: string,
): Promise<CredentialSessions> {
  const ids = (await deps.store.idsForCredential(credential)).slice(0, MAX_SESSIONS_READ);
  const records = (await Promise.all(ids.map((id) => deps.store.get(id)))).filter(
    (r) => r !== null,
  );
  const latest = records.sort((a, b) => b.lastSeenAt - a.lastSeenAt)[0];
  const chosen = await deps.store.getActiveBusiness(credential);
  const facts = [
    fact('Live sessions (2025)', records.length),
    fact(
      'Latest session',
      latest ? `${latest.id}, last request ${new Date(latest.lastSeenAt).toISOString()}` : null,
    ),
    fact('Instance that last served it', latest?.instanceId),
  ];
  if (chosen) facts.push(fact('Business chosen by a sessionless (2026) client', chosen));
  const findings: Finding[] = [];
  const modern = await sessionlessClient(deps, credential);
  if (modern) {
    facts.push(
      fact(
        'Sessionless client (2026-07-28)',
        `${modern.client.name} ${modern.client.version}`.trim(),
      ),
      fact('Its last request', new Date(modern.lastSeenAt)),
      fact('Instance that last served the sessionless client', modern.instanceId),
    );
    findings.push(
      finding(
        'credential.sessionless',
        'ok',
        'modernGetDelete',
        `A 2026-07-28 client (${modern.client.name}) uses this credential without a session: GET and DELETE /mcp answer it 405, and set_active_business is remembered per credential`,
        ['sessionlessNoStream', 'sessionlessBusiness'],
      ),
    );
  }
  if (records.length === 0 && !modern) {
    findings.push(
      finding(
        'credential.no_session',
        'ok',
        'sessionHeader',
        'No live 2025 session holds this credential: a 2025 client must send initialize first (any other request without mcp-session-id answers 400); 2026-07-28 clients need none',
        ['sessionHeader'],
      ),
    );
  }
  return { facts, findings };
}
