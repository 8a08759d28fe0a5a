// An API key as people see it (console, /mcp/keys): one key with its older
// secrets still in a roll's overlap, its status and what that status allows.
import type { Db } from '@flowpos/db';
import type { Role, Scope } from '../roles.ts';
import type { ToolPolicy } from '../tools/tool-policy.ts';
import { verifiedKey } from './api-key-verifier.ts';
import { familyOf } from './key-family.ts';
import { keyActions, keyStatus, type ApiKeyStatus, type KeyActions } from './key-status.ts';

export interface ApiKeyView {
  id: string;
  businessId: string;
  name: string;
  prefix: string;
  role: Role;
  scopes: Scope[];
  /** Which of the tools its role and scopes allow it may use (tool-policy.ts). */
  toolPolicy: ToolPolicy;
  isActive: boolean;
  status: ApiKeyStatus;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  createdBy: string | null;
  /** Set once the key was rolled: an expired key is rolled at most once. */
  rolled: boolean;
  /** What its status still allows (keyActions); whether the viewer may is their role's matter. */
  can: KeyActions;
  /** The key's older secrets that still work (a roll's overlap), soonest to stop first. */
  previousSecrets: PreviousSecretView[];
}

/** An older secret of a rolled key: it works until `expiresAt` (the overlap's end). */
export interface PreviousSecretView {
  id: string;
  prefix: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface CreatedApiKey extends ApiKeyView {
  /** The secret: returned here once, never stored or shown again. */
  key: string;
}

type KeyRow = {
  id: string;
  businessId: string;
  name: string;
  prefix: string;
  role: string;
  scopes: string[];
  toolPolicy: string;
  toolPolicyTools: string[];
  isActive: boolean;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  createdBy?: { email: string } | null;
  replacedById?: string | null;
};

export const withCreator = { createdBy: { select: { email: true } } } as const;

/** A key as shown; `older` are its other rows (previousSecrets lists those still working). */
export function toKeyView(
  row: KeyRow,
  now = new Date(),
  older: readonly KeyRow[] = [],
): ApiKeyView {
  const previousSecrets = older
    .filter((o) => keyStatus(o, now) === 'active')
    .sort((a, b) => (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity))
    .map((o) => ({
      id: o.id,
      prefix: o.prefix,
      expiresAt: o.expiresAt,
      lastUsedAt: o.lastUsedAt,
      createdAt: o.createdAt,
    }));
  return {
    ...verifiedKey(row),
    name: row.name,
    isActive: row.isActive,
    status: keyStatus(row, now),
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    createdAt: row.createdAt,
    createdBy: row.createdBy?.email ?? null,
    rolled: Boolean(row.replacedById),
    can: keyActions(row, now),
    previousSecrets,
  };
}

/** The rows of the business, as links, with what keyStatus needs. */
export async function businessLinks(db: Db, businessId: string) {
  return db.apiKey.findMany({
    where: { businessId },
    select: { id: true, replacedById: true, isActive: true, revokedAt: true, expiresAt: true },
  });
}

/** The key as listed: a head with its older secrets still working; an older row alone. */
export async function loadKeyView(db: Db, keyId: string, now = new Date()): Promise<ApiKeyView> {
  const row = await db.apiKey.findUniqueOrThrow({ where: { id: keyId }, include: withCreator });
  const family = familyOf(await businessLinks(db, row.businessId), keyId);
  const older =
    family[0] === keyId && family.length > 1
      ? await db.apiKey.findMany({ where: { id: { in: family.slice(1) } }, include: withCreator })
      : [];
  return toKeyView(row, now, older);
}
