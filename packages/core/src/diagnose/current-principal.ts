// What a credential grants now (by its credential id: key:, user:, grant:),
// and if nothing, why: revoked, expired, or no business left.
import { loadActorByUserId } from '../access/actor.ts';
import { principalOfActor } from '../access/user-principal.ts';
import { parseCredentialId } from '../credential-ids.ts';
import { isAppError } from '../errors.ts';
import { apiKeyPrincipal, verifiedKey } from '../keys/api-key-verifier.ts';
import { keyStatus } from '../keys/key-status.ts';
import { findActiveGrant, grantPrincipal } from '../oauth/grant-principal.ts';
import type { Principal } from '../principal.ts';
import type { DiagnoseDeps } from './diagnose-context.ts';

export interface CredentialState {
  principal: Principal | null;
  /** Why it grants nothing (or null). */
  why: string | null;
  /** A name people know it by (key name and prefix, e-mail, app). */
  label: string | null;
  revokedAt?: Date | undefined;
  expiredAt?: Date | undefined;
}

export async function currentPrincipal(
  deps: DiagnoseDeps,
  credential: string,
): Promise<CredentialState> {
  const ref = parseCredentialId(credential);
  const now = deps.now?.() ?? Date.now();
  if (ref?.kind === 'key') {
    const key = await deps.db.apiKey.findUnique({ where: { id: ref.id } });
    if (!key) return { principal: null, why: 'the key no longer exists', label: null };
    const label = `API key "${key.name}" (${key.prefix}…)`;
    const status = keyStatus(key, now);
    if (status === 'revoked')
      return {
        principal: null,
        why: `${label} was revoked`,
        label,
        revokedAt: key.revokedAt ?? key.updatedAt,
      };
    if (status === 'expired')
      return {
        principal: null,
        why: `${label} expired`,
        label,
        expiredAt: key.expiresAt ?? undefined,
      };
    return { principal: apiKeyPrincipal(verifiedKey(key)), why: null, label };
  }
  if (ref?.kind === 'grant') {
    const grant = await deps.db.oAuthGrant.findUnique({
      where: { id: ref.id },
      include: { user: { select: { email: true } } },
    });
    if (!grant) return { principal: null, why: 'the connected app no longer exists', label: null };
    const label = `connected app "${grant.clientName}" of ${grant.user.email}`;
    if (grant.revokedAt)
      return { principal: null, why: `${label} was revoked`, label, revokedAt: grant.revokedAt };
    const active = await findActiveGrant(deps.db, grant.id);
    const principal = active ? await grantPrincipal(deps.db, active, []) : null;
    return {
      principal,
      why: principal ? null : `${grant.user.email} has no active membership in its business`,
      label,
    };
  }
  if (ref?.kind === 'user') {
    const user = await deps.db.user.findUnique({ where: { id: ref.id }, select: { email: true } });
    if (!user) return { principal: null, why: 'the user no longer exists', label: null };
    try {
      return {
        principal: await principalOfActor(deps.db, await loadActorByUserId(deps.db, ref.id)),
        why: null,
        label: user.email,
      };
    } catch (error) {
      if (!isAppError(error)) throw error;
      return { principal: null, why: `${user.email} has no active membership`, label: user.email };
    }
  }
  return { principal: null, why: 'unknown credential', label: null };
}
