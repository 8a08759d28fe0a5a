// API key management for people (console and /mcp/keys): create, list,
// revoke and change scopes, each checked against the actor's role in the
// key's business. The secret exists in clear only in createApiKey's result.
// A rolled key is one key with several secrets (key-family.ts): it is listed
// once, and revoking it or changing its scopes applies to every secret.
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import type { Actor } from '../access/actor.ts';
import { roleIn } from '../access/actor.ts';
import { authorizeIn, roleMay } from '../access/permissions.ts';
import type { AuditLog } from '../audit.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { parse } from '../validation.ts';
import type { EventBus } from '../events.ts';
import type { SessionDirectory } from '../sessions/session-directory.ts';
import { keyCredentialId } from '../credential-ids.ts';
import { grantableScopes, grantableRoles, type Role, type Scope } from '../roles.ts';
import { createApiKeyInput, updateApiKeyScopesInput } from '../schemas/keys.ts';
import { knownToolPolicy } from '../tools/tool-policy-rules.ts';
import { describePolicy, toolPolicyColumns, type ToolPolicy } from '../tools/tool-policy.ts';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key.ts';
import { verifiedKey } from './api-key-verifier.ts';
import { familyOf, groupByKey, type KeyLink } from './key-family.ts';
import { keyActions, keyStatus, type ApiKeyStatus, type KeyActions } from './key-status.ts';

export interface KeyServiceDeps {
  db: Db;
  audit: AuditLog;
  events: EventBus;
  sessions: SessionDirectory;
}

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

/** What a key created by `creatorRole` may hold; throws a 403 naming the first excess. */
export function checkGrant(creatorRole: Role, keyRole: Role, scopes: readonly Scope[]): void {
  if (!grantableRoles(creatorRole).includes(keyRole)) {
    throw forbidden(`A ${creatorRole} cannot create a ${keyRole} key`);
  }
  const limit = grantableScopes(creatorRole, keyRole);
  const excess = scopes.find((s) => !limit.includes(s));
  if (excess) throw forbidden(`A ${keyRole} key cannot have the ${excess} scope`);
}

export async function createApiKey(
  deps: KeyServiceDeps,
  actor: Actor,
  raw: unknown,
  now = new Date(),
): Promise<CreatedApiKey> {
  const input = parse(createApiKeyInput, raw);
  const creatorRole = authorizeIn(actor, input.businessId, 'manageKeys');
  const keyRole = input.role ?? creatorRole;
  const scopes = [...new Set(input.scopes)];
  checkGrant(creatorRole, keyRole, scopes);
  const toolPolicy = knownToolPolicy(input.toolPolicy);
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    throw badRequest('expiresAt must be in the future');
  }
  const business = await deps.db.business.findUnique({
    where: { id: input.businessId },
    select: { id: true },
  });
  if (!business) throw notFound('Business not found');
  const key = generateApiKey();
  const row = await deps.db.apiKey.create({
    data: {
      businessId: input.businessId,
      name: input.name,
      prefix: displayPrefix(key),
      hash: hashApiKey(key),
      role: keyRole,
      scopes,
      ...toolPolicyColumns(toolPolicy),
      expiresAt: input.expiresAt ?? null,
      createdById: actor.userId,
    },
    include: withCreator,
  });
  deps.audit.record({
    businessId: row.businessId,
    action: 'api_key.created',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: {
      keyId: row.id,
      prefix: row.prefix,
      name: row.name,
      role: keyRole,
      scopes,
      toolPolicy: describePolicy(toolPolicy),
    },
  });
  return { ...toKeyView(row, now), key };
}

export async function listApiKeys(
  deps: Pick<KeyServiceDeps, 'db'>,
  actor: Actor,
  businessId: string,
): Promise<ApiKeyView[]> {
  if (!z.uuid().safeParse(businessId).success) throw badRequest('businessId must be a UUID');
  authorizeIn(actor, businessId, 'manageKeys');
  const rows = await deps.db.apiKey.findMany({
    where: { businessId },
    orderBy: { createdAt: 'desc' },
    include: withCreator,
  });
  const now = new Date();
  // Rows come newest first, so do the keys (by their newest secret).
  return groupByKey(rows).map(({ head, older }) => toKeyView(head, now, older));
}

/** Loads a key the actor may manage, with the actor's role there; another business's key is "not found". */
export async function manageableKey(db: Db, actor: Actor, keyId: string) {
  if (!z.uuid().safeParse(keyId).success) throw notFound('API key not found');
  const row = await db.apiKey.findUnique({
    where: { id: keyId },
    include: withCreator,
  });
  const role = row ? roleIn(actor, row.businessId) : null;
  if (!row || !role || !roleMay(role, 'manageKeys')) throw notFound('API key not found');
  if (!grantableRoles(role).includes(row.role as Role)) {
    throw forbidden(`A ${role} cannot manage a ${row.role} key`);
  }
  return { row, role };
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

/**
 * Revokes every secret of the key `keyId` belongs to; returns their ids. The
 * rows are read again after each pass: a roll that committed while we
 * revoked (its compare-and-set ran before ours) left a successor to revoke
 * too, and none can commit after our pass (the head it needs is revoked).
 */
async function revokeFamily(db: Db, businessId: string, keyId: string, now: Date) {
  const revoked = new Set<string>();
  for (let pass = 0; pass < 10; pass++) {
    const links: (KeyLink & { isActive: boolean; revokedAt: Date | null })[] = await businessLinks(
      db,
      businessId,
    );
    const family = new Set(familyOf(links, keyId));
    const live = links.filter((l) => family.has(l.id) && (l.isActive || !l.revokedAt));
    if (live.length === 0) break;
    const ids = live.map((l) => l.id);
    await db.$transaction([
      db.apiKey.updateMany({
        where: { id: { in: ids }, revokedAt: null },
        data: { isActive: false, revokedAt: now },
      }),
      db.apiKey.updateMany({
        where: { id: { in: ids }, isActive: true },
        data: { isActive: false },
      }),
    ]);
    for (const id of ids) revoked.add(id);
  }
  return [...revoked];
}

/** Secrets that stopped: every instance drops its cached verification, and their sessions end now. */
export async function cutOff(deps: Pick<KeyServiceDeps, 'events' | 'sessions'>, keyIds: string[]) {
  for (const id of keyIds) {
    await deps.events.publish({ type: 'key.changed', keyId: id });
    await deps.sessions.endForCredential(keyCredentialId(id));
  }
}

/** Revokes the key, every secret it has (a rolled key's older ones too): each stops at once. */
export async function revokeApiKey(
  deps: KeyServiceDeps,
  actor: Actor,
  keyId: string,
): Promise<ApiKeyView> {
  const { row } = await manageableKey(deps.db, actor, keyId);
  const ids = await revokeFamily(deps.db, row.businessId, row.id, new Date());
  await cutOff(deps, ids);
  deps.audit.record({
    businessId: row.businessId,
    action: 'api_key.revoked',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: {
      keyId: row.id,
      prefix: row.prefix,
      name: row.name,
      ...(ids.some((id) => id !== row.id) && { secretIds: ids }),
    },
  });
  return loadKeyView(deps.db, row.id);
}

export async function updateApiKeyScopes(
  deps: KeyServiceDeps,
  actor: Actor,
  raw: unknown,
): Promise<ApiKeyView> {
  const input = parse(updateApiKeyScopesInput, raw);
  const { row, role } = await manageableKey(deps.db, actor, input.keyId);
  if (!keyActions(row).changeScopes) {
    throw keyStatus(row) === 'revoked'
      ? badRequest('A revoked key cannot be changed')
      : conflict('This key has expired and cannot be changed: create a new key instead');
  }
  const scopes = [...new Set(input.scopes)];
  checkGrant(role, row.role as Role, scopes);
  // The scopes are the key's: its older secrets still in their overlap follow.
  const ids = familyOf(await businessLinks(deps.db, row.businessId), row.id);
  await deps.db.apiKey.updateMany({ where: { id: { in: ids } }, data: { scopes } });
  for (const id of ids) {
    await deps.events.publish({ type: 'key.changed', keyId: id });
    // Live sessions of the key get the new scopes (and a tools/list_changed).
    await deps.sessions.updateForCredential(keyCredentialId(id), (p) => ({ ...p, scopes }));
  }
  deps.audit.record({
    businessId: row.businessId,
    action: 'api_key.scopes_changed',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: { keyId: row.id, prefix: row.prefix, from: row.scopes, to: scopes },
  });
  return loadKeyView(deps.db, row.id);
}
