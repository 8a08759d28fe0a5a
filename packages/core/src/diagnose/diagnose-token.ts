// V2 MCP access tokens (and Firebase ID tokens, the exchange's input): whether
// the signature holds, expired and still refreshable or beyond the 7-day
// window, signed out everywhere since, no active membership left. Claims are
// read only once the signature is known to be ours.
import { decodeJwt } from 'jose';
import { loadActorByUserId } from '../access/actor.ts';
import { principalOfActor } from '../access/user-principal.ts';
import { REFRESH_GRACE_SECONDS } from '../auth/mcp-token.ts';
import { userCredentialId } from '../credential-ids.ts';
import { isAppError } from '../errors.ts';
import type { Principal } from '../principal.ts';
import type { DiagnoseDeps, Viewer } from './diagnose-context.ts';
import { toolFindings } from './diagnose-context.ts';
import { credentialSessions, toolProblem } from './diagnose-shared.ts';
import { fact, finding, foundDiagnosis, notFoundDiagnosis, refusedDiagnosis } from './diagnosis.ts';
import type { Diagnosis, Fact, Finding } from './diagnosis.ts';

type Timing = 'valid' | 'refreshable' | 'beyond_window';

function unverifiable(label: string, why: string, code: string): Diagnosis {
  return refusedDiagnosis(
    'mcp_token',
    label,
    `MCP access token: ${why}`,
    finding(code, 'problem', 'tokenRefresh', why, ['refreshSigned', 'exchangeAgain']),
  );
}

/** Whether the token verifies now, only for refresh, or not even that (signature checked first in each). */
async function timingOf(deps: DiagnoseDeps, token: string, now: number): Promise<Timing | string> {
  const signer = deps.tokens!;
  try {
    await signer.verify(token, now);
    return 'valid';
  } catch (error) {
    const message = isAppError(error) ? error.message : 'Invalid MCP access token';
    if (message !== 'MCP access token expired') return message;
  }
  try {
    await signer.verifyForRefresh(token, now);
    return 'refreshable';
  } catch (error) {
    const message = isAppError(error) ? error.message : 'Invalid MCP access token';
    return message.startsWith('MCP access token expired more than 7 days ago')
      ? 'beyond_window'
      : message;
  }
}

export async function diagnoseMcpToken(
  deps: DiagnoseDeps,
  viewer: Viewer,
  token: string,
  label: string,
  tool: string | undefined,
): Promise<Diagnosis> {
  if (!deps.tokens) return notFoundDiagnosis('mcp_token', label);
  const now = deps.now?.() ?? Date.now();
  const timing = await timingOf(deps, token, now);
  if (timing !== 'valid' && timing !== 'refreshable' && timing !== 'beyond_window') {
    return unverifiable(
      label,
      `${timing} (not signed by this server's MCP_TOKEN_SECRET, or altered)`,
      'token.invalid',
    );
  }
  const claims = decodeJwt(token);
  const userId = String(claims.sub);
  const user = await deps.db.user.findUnique({
    where: { id: userId },
    include: { memberships: { select: { businessId: true } } },
  });
  if (!user) return notFoundDiagnosis('mcp_token', label);
  if (!viewer.all && !viewer.seesAny(user.memberships.map((m) => m.businessId)))
    return notFoundDiagnosis('mcp_token', label);

  const findings: Finding[] = [];
  const expiredAt = new Date(Number(claims.exp) * 1000);
  if (timing === 'refreshable') {
    findings.push(
      finding(
        'token.expired_refreshable',
        'warning',
        'authRequired',
        `The token expired at ${expiredAt.toISOString()}; it can still be refreshed until ${new Date(expiredAt.getTime() + REFRESH_GRACE_SECONDS * 1000).toISOString()}`,
        ['refresh', 'refreshWindow'],
      ),
    );
  } else if (timing === 'beyond_window') {
    findings.push(
      finding(
        'token.expired_beyond_refresh',
        'problem',
        'tokenRefresh',
        `The token expired at ${expiredAt.toISOString()}, more than 7 days ago: refresh answers 401; exchange a Firebase ID token again`,
        ['refreshWindow', 'exchangeAgain'],
      ),
    );
  }
  const generation = typeof claims.gen === 'number' ? claims.gen : 0;
  if (generation < user.tokenGeneration) {
    findings.push(
      finding(
        'token.signed_out',
        'problem',
        timing === 'valid' ? 'authRequired' : 'tokenRefresh',
        `${user.email} was signed out everywhere after this token was issued: it is refused on /mcp and at refresh`,
        ['exchangeAgain', 'regenerate'],
      ),
    );
  }
  let principal: Principal | null = null;
  try {
    principal = await principalOfActor(deps.db, await loadActorByUserId(deps.db, userId));
  } catch (error) {
    if (!isAppError(error)) throw error;
    findings.push(
      finding(
        'token.no_membership',
        'problem',
        'authRequired',
        `${user.email} has no active membership (business_user.is_active) and is no platform operator: /mcp answers 401, exchange and refresh 403`,
        ['noMembership', 'refreshMemberships'],
      ),
    );
  }
  const tools = principal ? toolFindings(deps.registry, principal) : [];
  const toolIssue = toolProblem(tools, tool, 'refreshMemberships');
  if (toolIssue) findings.push(toolIssue);
  const sessions = await credentialSessions(deps, userCredentialId(userId));
  if (principal) findings.push(...sessions.findings);
  const facts: Fact[] = [
    fact('User', user.email),
    fact('Issued', new Date(Number(claims.iat) * 1000)),
    fact('Expires', expiredAt),
    fact('Role now', principal?.role),
    fact('Businesses now', principal?.authorizedBusinessIds.length ?? 0),
    ...sessions.facts,
  ];
  const subject = `MCP access token of ${user.email}`;
  return foundDiagnosis('mcp_token', label, subject, { findings, facts, tools });
}

/** A Firebase ID token, as POST /mcp/token would judge it: 401 if invalid or expired, 403 without membership. */
export async function diagnoseFirebaseToken(
  deps: DiagnoseDeps,
  viewer: Viewer,
  token: string,
  label: string,
): Promise<Diagnosis> {
  if (!deps.firebase) return notFoundDiagnosis('firebase_id_token', label);
  let uid: string;
  try {
    uid = (await deps.firebase.verify(token)).uid;
  } catch {
    const why =
      'The Firebase ID token is invalid or expired (they live one hour): POST /mcp/token answers 401';
    return refusedDiagnosis(
      'firebase_id_token',
      label,
      `Firebase ID token: ${why}`,
      finding('firebase.invalid', 'problem', 'tokenExchange', why, [
        'firebaseInvalid',
        'exchangeAgain',
      ]),
    );
  }
  const user = await deps.db.user.findUnique({
    where: { firebaseUid: uid },
    include: { memberships: { select: { businessId: true, isActive: true } } },
  });
  if (!user || (!viewer.all && !viewer.seesAny(user.memberships.map((m) => m.businessId))))
    return notFoundDiagnosis('firebase_id_token', label);
  const findings: Finding[] = [];
  if (!user.isPlatformOperator && !user.memberships.some((m) => m.isActive)) {
    findings.push(
      finding(
        'token.no_membership',
        'problem',
        null,
        `${user.email} has no active membership (business_user.is_active): POST /mcp/token answers 403`,
        ['noMembership'],
      ),
    );
  }
  return foundDiagnosis('firebase_id_token', label, `Firebase ID token of ${user.email}`, {
    findings,
    facts: [
      fact('User', user.email),
      fact('Active memberships', user.memberships.filter((m) => m.isActive).length),
    ],
  });
}
