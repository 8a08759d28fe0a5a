// API key management for people (console and /mcp/keys): create, list,
// revoke and change scopes, each checked against the actor's role in the
// key's business. The secret exists in clear only in createApiKey's result.
// A rolled key is one key with several secrets (key-family.ts): it is listed
// once, and revoking it or changing its scopes applies to every secret.
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import type { Actor } from '../access/actor.ts';
import { authorizeIn } from '../access/permissions.ts';
import type { AuditLog } from '../audit.ts';
import { badRequest, notFound } from '../errors.ts';
import { parse } from '../validation.ts';
import type { EventBus } from '../events.ts';
import type { SessionDirectory } from '../sessions/session-directory.ts';
import { keyCredentialId } from '../credential-ids.ts';
import type { Role } from '../roles.ts';
import { createApiKeyInput, updateApiKeyScopesInput } from '../schemas/keys.ts';
import { knownToolPolicy } from '../tools/tool-policy-rules.ts';
import { describePolicy, toolPolicyColumns } from '../tools/tool-policy.ts';
import { familyOf, groupByKey, type KeyLink } from './key-family.ts';
import {
  businessLinks,
  loadKeyView,
  toKeyView,
  withCreator,
  type ApiKeyView,
  type CreatedApiKey,
} from './key-views.ts';
import { changeableKey, checkKeyRights, manageableKey } from './manageable-key.ts';
import { mintApiKey } from './mint-key.ts';

export interface KeyServiceDeps {
  db: Db;
  audit: AuditLog;
  events: EventBus;
  sessions: SessionDirectory;
}

/** A person's action on a key of `businessId`, audited as theirs. */
export function recordKeyAction(
  audit: AuditLog,
  actor: Actor,
  businessId: string,
  action: string,
  details: Record<string, unknown>,
): void {
  audit.record({
    businessId,
    action,
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details,
  });
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
  checkKeyRights(creatorRole, keyRole, scopes);
  const toolPolicy = knownToolPolicy(input.toolPolicy);
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    throw badRequest('expiresAt must be in the future');
  }
  const business = await deps.db.business.findUnique({
    where: { id: input.businessId },
    select: { id: true },
  });
  if (!business) throw notFound('Business not found');
  const { row, secret } = await mintApiKey(deps.db, {
    businessId: input.businessId,
    name: input.name,
    role: keyRole,
    scopes,
    ...toolPolicyColumns(toolPolicy),
    expiresAt: input.expiresAt ?? null,
    createdById: actor.userId,
  });
  recordKeyAction(deps.audit, actor, row.businessId, 'api_key.created', {
    keyId: row.id,
    prefix: row.prefix,
    name: row.name,
    role: keyRole,
    scopes,
    toolPolicy: describePolicy(toolPolicy),
  });
  return { ...toKeyView(row, now), key: secret };
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
  recordKeyAction(deps.audit, actor, row.businessId, 'api_key.revoked', {
    keyId: row.id,
    prefix: row.prefix,
    name: row.name,
    ...(ids.some((id) => id !== row.id) && { secretIds: ids }),
  });
  return loadKeyView(deps.db, row.id);
}

export async function updateApiKeyScopes(
  deps: KeyServiceDeps,
  actor: Actor,
  raw: unknown,
): Promise<ApiKeyView> {
  const input = parse(updateApiKeyScopesInput, raw);
  const { row, role } = await changeableKey(deps.db, actor, input.keyId);
  const scopes = [...new Set(input.scopes)];
  checkKeyRights(role, row.role as Role, scopes);
  // The scopes are the key's: its older secrets still in their overlap follow.
  const ids = familyOf(await businessLinks(deps.db, row.businessId), row.id);
  await deps.db.apiKey.updateMany({ where: { id: { in: ids } }, data: { scopes } });
  for (const id of ids) {
    await deps.events.publish({ type: 'key.changed', keyId: id });
    // Live sessions of the key get the new scopes (and a tools/list_changed).
    await deps.sessions.updateForCredential(keyCredentialId(id), (p) => ({ ...p, scopes }));
  }
  recordKeyAction(deps.audit, actor, row.businessId, 'api_key.scopes_changed', {
    keyId: row.id,
    prefix: row.prefix,
    from: row.scopes,
    to: scopes,
  });
  return loadKeyView(deps.db, row.id);
}
