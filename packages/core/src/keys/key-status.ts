// Whether an API key works: revoked (by hand, or at once by a roll without
// overlap), expired (its own expiry, or the end of a roll's overlap, which a
// roll writes as the old key's expiry), else active. The one rule, as a
// function of a key and as a database filter, and what each status leaves
// possible (keyActions).
export type ApiKeyStatus = 'active' | 'expired' | 'revoked';

export interface KeyValidity {
  isActive: boolean;
  revokedAt: Date | null;
  expiresAt: Date | null;
}

export function keyStatus(key: KeyValidity, now: Date | number = Date.now()): ApiKeyStatus {
  if (!key.isActive || key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt.getTime() <= new Date(now).getTime()) return 'expired';
  return 'active';
}

export interface KeyActions {
  /** Scopes change only while the key works. */
  changeScopes: boolean;
  /** A working key is rolled; an expired one once, into a successor. */
  roll: boolean;
  /** Revoking is final: a revoked key has nothing left to revoke. */
  revoke: boolean;
}

/** What can still be done with a key, whoever may manage it (the role check is the caller's). */
export function keyActions(
  key: KeyValidity & { replacedById?: string | null | undefined },
  now: Date | number = Date.now(),
): KeyActions {
  const status = keyStatus(key, now);
  return {
    changeScopes: status === 'active',
    roll: status === 'active' || (status === 'expired' && !key.replacedById),
    revoke: status !== 'revoked',
  };
}

/** The Prisma `where` for keys whose keyStatus is 'active' at `now`. */
export function activeKeyWhere(now: Date) {
  return {
    isActive: true,
    revokedAt: null,
    OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
  };
}
