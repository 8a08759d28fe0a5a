// API keys, from a pasted secret (hashed on arrival, as the key verifier
// does, and looked up by hash) or a display prefix: revoked, expired (or a
// rolled key's old secret past its overlap), the rule hiding a tool, its live
// sessions and the instance that last served one.
import type { ApiKeyModel as ApiKey } from '@flowpos/db';
import { keyCredentialId } from '../credential-ids.ts';
import { hashApiKey, isWellFormedApiKey } from '../keys/api-key.ts';
import { apiKeyPrincipal, verifiedKey } from '../keys/api-key-verifier.ts';
import { keyStatus } from '../keys/key-status.ts';
import type { DiagnoseDeps, Viewer } from './diagnose-context.ts';
import { toolFindings } from './diagnose-context.ts';
import { credentialSessions, toolProblem } from './diagnose-shared.ts';
import { fact, finding, foundDiagnosis, notFoundDiagnosis, refusedDiagnosis } from './diagnosis.ts';
import type { Diagnosis, Finding } from './diagnosis.ts';

/** At most this many keys answer one prefix (a prefix is 4 hex characters: it may be shared). */
const MAX_KEYS_PER_PREFIX = 5;

export async function diagnoseKeySecret(
  deps: DiagnoseDeps,
  viewer: Viewer,
  secret: string,
  label: string,
  tool: string | undefined,
): Promise<Diagnosis> {
  if (!isWellFormedApiKey(secret)) {
    // Not worth a database read (the guard refuses it the same way), but worth saying why.
    return refusedDiagnosis(
      'api_key_secret',
      label,
      'Not a valid API key: its format or checksum is wrong (a character lost or changed while copying?)',
      finding(
        'key.malformed',
        'problem',
        'authRequired',
        'The value starts like an API key but its format or checksum is wrong, so McpAuthGuard refuses it without a database read',
        ['keyHeaderFormat', 'regenerate'],
      ),
    );
  }
  const row = await deps.db.apiKey.findUnique({ where: { hash: hashApiKey(secret) } });
  if (!row || !viewer.sees(row.businessId)) return notFoundDiagnosis('api_key_secret', label);
  return keyDiagnosis(deps, row, 'api_key_secret', label, tool);
}

export async function diagnoseKeyPrefix(
  deps: DiagnoseDeps,
  viewer: Viewer,
  value: string,
  label: string,
  tool: string | undefined,
): Promise<Diagnosis[]> {
  const prefix = label.replace(/…$/, '');
  const rows = await deps.db.apiKey.findMany({
    where: { prefix },
    orderBy: { createdAt: 'desc' },
    take: 50,
  });
  const visible = rows.filter((r) => viewer.sees(r.businessId)).slice(0, MAX_KEYS_PER_PREFIX);
  if (visible.length === 0 || value.length < prefix.length)
    return [notFoundDiagnosis('api_key_prefix', label)];
  return Promise.all(visible.map((row) => keyDiagnosis(deps, row, 'api_key_prefix', label, tool)));
}

async function keyDiagnosis(
  deps: DiagnoseDeps,
  row: ApiKey,
  kind: 'api_key_secret' | 'api_key_prefix',
  label: string,
  tool: string | undefined,
): Promise<Diagnosis> {
  const now = deps.now?.() ?? Date.now();
  const status = keyStatus(row, now);
  const business = await deps.db.business.findUnique({
    where: { id: row.businessId },
    select: { name: true },
  });
  const findings: Finding[] = [];
  if (status === 'revoked') {
    findings.push(
      finding(
        'key.revoked',
        'problem',
        'authRequired',
        `The key "${row.name}" was revoked${row.revokedAt ? ` at ${row.revokedAt.toISOString()}` : ''}: it answers 401 and its sessions ended`,
        ['keyIsActive', 'regenerate', 'reinitialize'],
      ),
    );
  } else if (status === 'expired') {
    const rolled = row.replacedById !== null;
    findings.push(
      finding(
        'key.expired',
        'problem',
        'authRequired',
        rolled
          ? `This is the old secret of the rolled key "${row.name}": its overlap ended at ${row.expiresAt?.toISOString()}; use the new secret`
          : `The key "${row.name}" expired at ${row.expiresAt?.toISOString()}: it answers 401 and its sessions ended`,
        ['keyExpiry', 'sessionKeyExpiry', 'regenerate'],
      ),
    );
  }
  const principal = apiKeyPrincipal(verifiedKey(row));
  const tools = toolFindings(deps.registry, principal);
  const toolIssue = toolProblem(tools, tool, 'keyScopes');
  if (toolIssue) findings.push(toolIssue);
  const sessions =
    status === 'active' ? await credentialSessions(deps, keyCredentialId(row.id)) : null;
  if (sessions) findings.push(...sessions.findings);
  const subject = `API key "${row.name}" (${row.prefix}…)`;
  return foundDiagnosis(kind, label, subject, {
    findings,
    facts: [
      fact('Key', `${row.name} (${row.prefix}…)`),
      fact('Business', business?.name ?? row.businessId),
      fact('Status', status),
      fact('Role', row.role),
      fact('Scopes', row.scopes.join(' ') || '(none)'),
      fact('Expires', row.expiresAt),
      fact('Revoked', row.revokedAt),
      fact('Last used', row.lastUsedAt),
      fact('Created', row.createdAt),
      ...(sessions?.facts ?? []),
    ],
    tools,
  });
}
