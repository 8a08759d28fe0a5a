// OAuth (connectors): an access token, found by the SHA-256 its record is kept
// under (the authorization server's storage never holds it in clear), and a
// client id with the grants people gave it.
import { createHash } from 'node:crypto';
import { grantCredentialId } from '../credential-ids.ts';
import { grantPrincipal } from '../oauth/grant-principal.ts';
import type { DiagnoseDeps, Viewer } from './diagnose-context.ts';
import { toolFindings } from './diagnose-context.ts';
import { credentialSessions, toolProblem } from './diagnose-shared.ts';
import { fact, finding, foundDiagnosis, notFoundDiagnosis } from './diagnosis.ts';
import type { Diagnosis, Fact, Finding } from './diagnosis.ts';

interface TokenPayload {
  exp?: number;
  iat?: number;
  grantId?: string;
  clientId?: string;
  scope?: string;
}

export async function diagnoseOAuthToken(
  deps: DiagnoseDeps,
  viewer: Viewer,
  token: string,
  label: string,
  tool: string | undefined,
): Promise<Diagnosis | null> {
  const id = createHash('sha256').update(token).digest('hex');
  const record = await deps.db.oAuthRecord.findUnique({
    where: { kind_id: { kind: 'AccessToken', id } },
  });
  if (!record?.grantId) return null;
  const grant = await deps.db.oAuthGrant.findUnique({
    where: { id: record.grantId },
    include: { user: { select: { email: true } }, business: { select: { name: true } } },
  });
  if (!grant || !viewer.sees(grant.businessId))
    return notFoundDiagnosis('oauth_access_token', label);
  const now = deps.now?.() ?? Date.now();
  const payload = record.payload as TokenPayload;
  const findings: Finding[] = [];
  const expiresAt = payload.exp ? new Date(payload.exp * 1000) : null;
  if (grant.revokedAt) {
    findings.push(
      finding(
        'grant.revoked',
        'problem',
        'authRequired',
        `The connected app "${grant.clientName}" was revoked at ${grant.revokedAt.toISOString()}: its tokens and sessions ended; connect the app again`,
        ['oauthListed', 'regenerate'],
      ),
    );
  } else if (expiresAt && expiresAt.getTime() <= now) {
    findings.push(
      finding(
        'oauth.token_expired',
        'warning',
        'authRequired',
        `The access token expired at ${expiresAt.toISOString()}; the connector refreshes it by itself`,
        ['oauthTtl'],
      ),
    );
  }
  const principal = grant.revokedAt
    ? null
    : await grantPrincipal(deps.db, grant, (payload.scope ?? '').split(' ').filter(Boolean));
  if (!grant.revokedAt && !principal) {
    findings.push(
      finding(
        'grant.no_membership',
        'problem',
        'authRequired',
        `${grant.user.email} has no active membership in ${grant.business.name} any more: the app's tokens answer 401`,
        ['oauthListed', 'noMembership'],
      ),
    );
  }
  const tools = principal ? toolFindings(deps.registry, principal) : [];
  const toolIssue = toolProblem(tools, tool, 'oauthScope');
  if (toolIssue) findings.push(toolIssue);
  const sessions = grant.revokedAt
    ? null
    : await credentialSessions(deps, grantCredentialId(grant.id));
  if (principal && sessions) findings.push(...sessions.findings);
  const subject = `OAuth access token of "${grant.clientName}" for ${grant.user.email}`;
  return foundDiagnosis('oauth_access_token', label, subject, {
    findings,
    facts: [
      fact('App', grant.clientName),
      fact('Person', grant.user.email),
      fact('Business', grant.business.name),
      fact('Consented scopes', grant.scopes.join(' ')),
      fact('Token expires', expiresAt),
      fact('Grant revoked', grant.revokedAt),
      fact('Last used', grant.lastUsedAt),
      ...(sessions?.facts ?? []),
    ],
    tools,
  });
}

/** An OAuth client id: the grants people gave it (those the viewer may see) and where its answers go. */
export async function diagnoseOAuthClient(
  deps: DiagnoseDeps,
  viewer: Viewer,
  clientId: string,
  label: string,
): Promise<Diagnosis | null> {
  const grants = await deps.db.oAuthGrant.findMany({
    where: { clientId },
    include: { user: { select: { email: true } }, business: { select: { name: true } } },
    orderBy: { createdAt: 'desc' },
    take: 200,
  });
  const visible = grants.filter((g) => viewer.sees(g.businessId));
  if (visible.length === 0) return null;
  const client = await deps.db.oAuthRecord.findUnique({
    where: { kind_id: { kind: 'Client', id: clientId } },
  });
  const redirects = ((client?.payload as { redirect_uris?: unknown } | undefined)?.redirect_uris ??
    []) as unknown[];
  const hosts = [
    ...new Set(
      redirects.flatMap((u) => (typeof u === 'string' && URL.canParse(u) ? [new URL(u).host] : [])),
    ),
  ];
  const live = visible.filter((g) => !g.revokedAt);
  const findings: Finding[] = [];
  if (live.length === 0) {
    findings.push(
      finding(
        'grant.revoked',
        'problem',
        'authRequired',
        `Every grant of "${visible[0]!.clientName}" you may see is revoked: connect the app again`,
        ['oauthListed'],
      ),
    );
  }
  const facts: Fact[] = [
    fact('App', visible[0]!.clientName),
    fact(
      'Registered',
      client
        ? 'yes (dynamic registration)'
        : clientId.startsWith('https://')
          ? 'Client ID Metadata Document'
          : 'no record (swept or never registered)',
    ),
    fact('Redirect hosts', hosts.join(', ') || null),
    ...visible
      .slice(0, 20)
      .map((g) =>
        fact(
          `Grant ${g.id.slice(0, 8)}…`,
          `${g.user.email} for ${g.business.name}: ${g.revokedAt ? `revoked ${g.revokedAt.toISOString()}` : `live, last used ${g.lastUsedAt?.toISOString() ?? 'never'}`}`,
        ),
      ),
  ];
  const subject = `OAuth client "${visible[0]!.clientName}" (${live.length} live grant(s))`;
  return foundDiagnosis('oauth_client_id', label, subject, { findings, facts });
}
