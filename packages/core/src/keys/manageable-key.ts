// Which keys an actor may manage, and what a key they create or change may
// hold: the role checks every key operation (create, roll, revoke, scopes,
// tool policy, limits) starts with.
import { z } from 'zod';
import type { Db } from '@flowpos/db';
import type { Actor } from '../access/actor.ts';
import { roleIn } from '../access/actor.ts';
import { roleMay } from '../access/permissions.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { creatableKeyRoles, assignableKeyScopes, type Role, type Scope } from '../roles.ts';
import { keyActions, keyStatus } from './key-status.ts';
import { withCreator } from './key-views.ts';

/** What a key created by `creatorRole` may hold; throws a 403 naming the first excess. */
export function checkKeyRights(creatorRole: Role, keyRole: Role, scopes: readonly Scope[]): void {
  if (!creatableKeyRoles(creatorRole).includes(keyRole)) {
    throw forbidden(`A ${creatorRole} cannot create a ${keyRole} key`);
  }
  const limit = assignableKeyScopes(creatorRole, keyRole);
  const excess = scopes.find((s) => !limit.includes(s));
  if (excess) throw forbidden(`A ${keyRole} key cannot have the ${excess} scope`);
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
  if (!creatableKeyRoles(role).includes(row.role as Role)) {
    throw forbidden(`A ${role} cannot manage a ${row.role} key`);
  }
  return { row, role };
}

/**
 * A key the actor may manage whose settings (scopes, tool policy) may still
 * change: only a working key's do.
 */
export async function changeableKey(db: Db, actor: Actor, keyId: string) {
  const found = await manageableKey(db, actor, keyId);
  if (!keyActions(found.row).changeScopes) {
    throw keyStatus(found.row) === 'revoked'
      ? badRequest('A revoked key cannot be changed')
      : conflict('This key has expired and cannot be changed: create a new key instead');
  }
  return found;
}
