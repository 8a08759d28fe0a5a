// API key management for people (console and /mcp/keys): create, list,
// revoke and change scopes, each checked against the actor's role in the
// key's business. The secret exists in clear only in createApiKey's result.
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
import {
  createApiKeyInput,
  ROTATION_OVERLAPS,
  rotateApiKeyInput,
  updateApiKeyScopesInput,
} from '../schemas/keys.ts';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key.ts';
import { verifiedKey } from './api-key-verifier.ts';
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
  isActive: boolean;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  createdBy?: { email: string } | null;
  replacedById?: string | null;
};

export function toKeyView(row: KeyRow, now = new Date()): ApiKeyView {
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
      expiresAt: input.expiresAt ?? null,
      createdById: actor.userId,
    },
    include: { createdBy: { select: { email: true } } },
  });
  deps.audit.record({
    businessId: row.businessId,
    action: 'api_key.created',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: { keyId: row.id, prefix: row.prefix, name: row.name, role: keyRole, scopes },
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
    include: { createdBy: { select: { email: true } } },
  });
  const now = new Date();
  return rows.map((r) => toKeyView(r, now));
}

/** Loads a key the actor may manage, with the actor's role there; another business's key is "not found". */
async function manageableKey(db: Db, actor: Actor, keyId: string) {
  if (!z.uuid().safeParse(keyId).success) throw notFound('API key not found');
  const row = await db.apiKey.findUnique({
    where: { id: keyId },
    include: { createdBy: { select: { email: true } } },
  });
  const role = row ? roleIn(actor, row.businessId) : null;
  if (!row || !role || !roleMay(role, 'manageKeys')) throw notFound('API key not found');
  if (!grantableRoles(role).includes(row.role as Role)) {
    throw forbidden(`A ${role} cannot manage a ${row.role} key`);
  }
  return { row, role };
}

export async function revokeApiKey(
  deps: KeyServiceDeps,
  actor: Actor,
  keyId: string,
): Promise<ApiKeyView> {
  const { row } = await manageableKey(deps.db, actor, keyId);
  const updated =
    row.revokedAt && !row.isActive
      ? row
      : await deps.db.apiKey.update({
          where: { id: row.id },
          data: { isActive: false, revokedAt: row.revokedAt ?? new Date() },
          include: { createdBy: { select: { email: true } } },
        });
  // Every instance drops its cached verification; the key's sessions end now.
  await deps.events.publish({ type: 'key.changed', keyId: row.id });
  await deps.sessions.endForCredential(keyCredentialId(row.id));
  deps.audit.record({
    businessId: row.businessId,
    action: 'api_key.revoked',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: { keyId: row.id, prefix: row.prefix, name: row.name },
  });
  return toKeyView(updated);
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
  const updated = await deps.db.apiKey.update({
    where: { id: row.id },
    data: { scopes },
    include: { createdBy: { select: { email: true } } },
  });
  await deps.events.publish({ type: 'key.changed', keyId: row.id });
  // Live sessions of the key get the new scopes (and a tools/list_changed).
  await deps.sessions.updateForCredential(keyCredentialId(row.id), (p) => ({ ...p, scopes }));
  deps.audit.record({
    businessId: row.businessId,
    action: 'api_key.scopes_changed',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: { keyId: row.id, prefix: row.prefix, from: row.scopes, to: scopes },
  });
  return toKeyView(updated);
}

export interface RotatedApiKey {
  /** The new key, with its secret (shown once). */
  key: CreatedApiKey;
  /** The old key: revoked at once (overlap none) or expiring at the end of the overlap. */
  replaced: ApiKeyView;
}

/**
 * Rolls a key: a new secret with the same name, role, scopes and expiry; the
 * old one keeps working for the chosen overlap, then stops ("none" revokes it
 * and ends its sessions at once). An expired key (once) gets a successor
 * with the same lifetime from now; the overlap does not apply. Audited.
 */
export async function rotateApiKey(
  deps: KeyServiceDeps,
  actor: Actor,
  raw: unknown,
  now = new Date(),
): Promise<RotatedApiKey> {
  const input = parse(rotateApiKeyInput, raw);
  const { row: old } = await manageableKey(deps.db, actor, input.keyId);
  const status = keyStatus(old, now);
  if (!keyActions(old, now).roll) {
    throw conflict(
      status === 'revoked'
        ? 'This key is revoked: create a new key instead'
        : 'This key was already rolled',
    );
  }
  // An expired key is rolled into a new one with the same lifetime, from now.
  const expired = status === 'expired';
  const newExpiry =
    expired && old.expiresAt
      ? new Date(now.getTime() + (old.expiresAt.getTime() - old.createdAt.getTime()))
      : old.expiresAt;
  const secret = generateApiKey();
  const overlapMs = ROTATION_OVERLAPS[input.overlap];
  const overlapEnd = new Date(now.getTime() + overlapMs);
  const oldExpiry =
    old.expiresAt && old.expiresAt.getTime() < overlapEnd.getTime() ? old.expiresAt : overlapEnd;
  const [created, replaced] = await deps.db.$transaction(async (tx) => {
    const fresh = await tx.apiKey.create({
      data: {
        businessId: old.businessId,
        name: old.name,
        prefix: displayPrefix(secret),
        hash: hashApiKey(secret),
        role: old.role,
        scopes: old.scopes,
        expiresAt: newExpiry,
        createdById: actor.userId,
      },
      include: { createdBy: { select: { email: true } } },
    });
    const retired = await tx.apiKey.update({
      where: { id: old.id },
      data: expired
        ? { replacedById: fresh.id }
        : overlapMs === 0
          ? { isActive: false, revokedAt: now, replacedById: fresh.id }
          : { expiresAt: oldExpiry, replacedById: fresh.id },
      include: { createdBy: { select: { email: true } } },
    });
    return [fresh, retired] as const;
  });
  // Every instance drops its cached verification of the old key.
  await deps.events.publish({ type: 'key.changed', keyId: old.id });
  if (overlapMs === 0) await deps.sessions.endForCredential(keyCredentialId(old.id));
  deps.audit.record({
    businessId: old.businessId,
    action: 'api_key.rotated',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: {
      keyId: old.id,
      newKeyId: created.id,
      prefix: old.prefix,
      newPrefix: created.prefix,
      name: old.name,
      overlap: input.overlap,
      oldKeyStopsAt: (expired ? old.expiresAt : overlapMs === 0 ? now : oldExpiry)?.toISOString(),
    },
  });
  return { key: { ...toKeyView(created, now), key: secret }, replaced: toKeyView(replaced, now) };
}
