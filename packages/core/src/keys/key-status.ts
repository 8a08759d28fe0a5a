// Whether an API key works: revoked (by hand, or at once by a roll without
// overlap), expired (its own expiry, or the end of a roll's overlap, which a
// roll writes as the old key's expiry), else active. The one rule, as a
// function of a key and as a database filter.
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

/** The Prisma `where` for keys whose keyStatus is 'active' at `now`. */
export function activeKeyWhere(now: Date) {
  return {
    isActive: true,
    revokedAt: null,
    OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
  };
}
