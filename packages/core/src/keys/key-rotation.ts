// Rolling an API key: a new secret for the same key, the old one working for
// a chosen overlap; and ending that overlap early ("expire the old secret
// now"). A roll is a compare-and-set on the old row inside its transaction:
// of two concurrent rolls of one key, one wins and the other gets 409.
import { pickLimits } from '../limits/limit-values.ts';
import type { Actor } from '../access/actor.ts';
import { conflict } from '../errors.ts';
import { parse } from '../validation.ts';
import { keyCredentialId } from '../credential-ids.ts';
import { ROTATION_OVERLAPS, rotateApiKeyInput } from '../schemas/keys.ts';
import { cutOff, recordKeyAction, type KeyServiceDeps } from './api-key-service.ts';
import {
  businessLinks,
  loadKeyView,
  toKeyView,
  withCreator,
  type ApiKeyView,
  type CreatedApiKey,
} from './key-views.ts';
import { manageableKey } from './manageable-key.ts';
import { mintApiKey } from './mint-key.ts';
import { familyOf } from './key-family.ts';
import { activeKeyWhere, keyActions, keyStatus } from './key-status.ts';

export interface RotatedApiKey {
  /** The new key, with its secret (shown once) and the older secrets still working. */
  key: CreatedApiKey;
  /** The old secret's row: revoked at once (overlap none) or expiring at the end of the overlap. */
  replaced: ApiKeyView;
}

const alreadyRolled = () => conflict('This key was already rolled');

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
    throw status === 'revoked'
      ? conflict('This key is revoked: create a new key instead')
      : alreadyRolled();
  }
  // An expired key is rolled into a new one with the same lifetime, from now.
  const expired = status === 'expired';
  const newExpiry =
    expired && old.expiresAt
      ? new Date(now.getTime() + (old.expiresAt.getTime() - old.createdAt.getTime()))
      : old.expiresAt;
  const overlapMs = ROTATION_OVERLAPS[input.overlap];
  const overlapEnd = new Date(now.getTime() + overlapMs);
  const oldExpiry =
    old.expiresAt && old.expiresAt.getTime() < overlapEnd.getTime() ? old.expiresAt : overlapEnd;
  const [created, replaced, secret] = await deps.db.$transaction(async (tx) => {
    const { row: fresh, secret } = await mintApiKey(tx, {
      businessId: old.businessId,
      name: old.name,
      role: old.role,
      scopes: old.scopes,
      // A rolled key is the same key: its tool policy goes on.
      toolPolicy: old.toolPolicy,
      toolPolicyTools: old.toolPolicyTools,
      // The key's limits are the key's, whichever secret it is used with.
      ...pickLimits(old),
      expiresAt: newExpiry,
      createdById: actor.userId,
    });
    // Compare-and-set: the old row is still unrolled and unrevoked. A
    // concurrent roll waits on the row lock, then finds it rolled: no second
    // successor (this transaction, its new row included, is undone).
    const { count } = await tx.apiKey.updateMany({
      where: { id: old.id, replacedById: null, isActive: true, revokedAt: null },
      data: expired
        ? { replacedById: fresh.id }
        : overlapMs === 0
          ? { isActive: false, revokedAt: now, replacedById: fresh.id }
          : { expiresAt: oldExpiry, replacedById: fresh.id },
    });
    if (count !== 1) throw alreadyRolled();
    const retired = await tx.apiKey.findUniqueOrThrow({
      where: { id: old.id },
      include: withCreator,
    });
    return [fresh, retired, secret] as const;
  });
  // Every instance drops its cached verification of the old key.
  await deps.events.publish({ type: 'key.changed', keyId: old.id });
  if (overlapMs === 0) await deps.sessions.endForCredential(keyCredentialId(old.id));
  recordKeyAction(deps.audit, actor, old.businessId, 'api_key.rotated', {
    keyId: old.id,
    newKeyId: created.id,
    prefix: old.prefix,
    newPrefix: created.prefix,
    name: old.name,
    overlap: input.overlap,
    oldKeyStopsAt: (expired ? old.expiresAt : overlapMs === 0 ? now : oldExpiry)?.toISOString(),
  });
  const key = { ...(await loadKeyView(deps.db, created.id, now)), key: secret };
  return { key, replaced: toKeyView(replaced, now) };
}

/**
 * Ends a rolled key's overlap now: its older secrets still working expire at
 * once and their sessions end; the newest secret goes on. Idempotent. Audited
 * when it expired something.
 */
export async function expirePreviousSecrets(
  deps: KeyServiceDeps,
  actor: Actor,
  keyId: string,
  now = new Date(),
): Promise<ApiKeyView> {
  const { row } = await manageableKey(deps.db, actor, keyId);
  const [head, ...older] = familyOf(await businessLinks(deps.db, row.businessId), row.id);
  const working = await deps.db.apiKey.findMany({
    where: { id: { in: older }, ...activeKeyWhere(now) },
    select: { id: true, prefix: true },
  });
  if (working.length > 0) {
    await deps.db.apiKey.updateMany({
      where: { id: { in: working.map((w) => w.id) }, ...activeKeyWhere(now) },
      data: { expiresAt: now },
    });
    await cutOff(
      deps,
      working.map((w) => w.id),
    );
    recordKeyAction(deps.audit, actor, row.businessId, 'api_key.previous_expired', {
      keyId: head,
      name: row.name,
      expiredPrefixes: working.map((w) => w.prefix),
    });
  }
  return loadKeyView(deps.db, head ?? row.id, now);
}
