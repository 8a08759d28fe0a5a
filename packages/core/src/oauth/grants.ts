// Connected apps: the OAuth grants people gave connectors, who may see them
// and revoking them. A revoked grant's tokens stop working at once (its
// authorization-server records are deleted) and its MCP sessions end on
// every instance (the session directory publishes `session.ended`).
import type { Db } from '@flowpos/db';
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import { roleIn } from '../access/actor.ts';
import { may, mayIn, roleMay } from '../access/permissions.ts';
import type { AuditLog } from '../audit.ts';
import { forbidden, notFound } from '../errors.ts';
import type { SessionDirectory } from '../sessions/session-directory.ts';
import { grantCredentialId } from '../credential-ids.ts';
import { toolPolicyOf, type ToolPolicy } from '../tools/tool-policy.ts';

export interface GrantDeps {
  db: Db;
  audit: AuditLog;
  sessions: SessionDirectory;
}

export type GrantRevocationReason =
  | 'console'
  | 'revocation_endpoint'
  | 'refresh_token_reuse'
  | 'code_replay'
  | 'signed_out'
  | 'member_deactivated'
  | 'authorization_server';

/** A credential used twice is an attack or a broken client: audited as a refusal. */
const REPLAY_ACTIONS: Partial<Record<GrantRevocationReason, string>> = {
  refresh_token_reuse: 'oauth.refresh_reuse',
  code_replay: 'oauth.code_replay',
};

export interface ConnectedAppView {
  id: string;
  clientId: string;
  clientName: string;
  userId: string;
  userEmail: string;
  businessId: string;
  businessName: string;
  scopes: string[];
  /** Which of the tools its scopes give the app may use (tool-policy.ts). */
  toolPolicy: ToolPolicy;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export const revokeGrantInput = z.object({ grantId: z.string().min(1).max(200) });

/**
 * Marks the grant revoked, deletes every token and code issued under it and
 * ends its sessions. Idempotent: revoking twice records one audit event.
 */
export async function revokeOAuthGrant(
  deps: GrantDeps,
  grantId: string,
  reason: GrantRevocationReason,
  actorId: string | null = null,
): Promise<boolean> {
  const { count } = await deps.db.oAuthGrant.updateMany({
    where: { id: grantId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  await deps.db.oAuthRecord.deleteMany({ where: { grantId } });
  // The grant is refused from here on (the guard reads it); with the session
  // store down, its sessions end when the store is back.
  await deps.sessions.endForCredentialEventually(grantCredentialId(grantId));
  if (count > 0) {
    const grant = await deps.db.oAuthGrant.findUnique({ where: { id: grantId } });
    const replay = REPLAY_ACTIONS[reason];
    deps.audit.record({
      businessId: grant?.businessId ?? null,
      action: replay ?? 'oauth.revoked',
      outcome: replay ? 'denied' : 'success',
      actorKind: actorId ? 'user' : 'system',
      actorId,
      details: { grantId, clientId: grant?.clientId, userId: grant?.userId, reason },
    });
  }
  return count > 0;
}

/**
 * The person was signed out: their grants end. With `businessId`, only the
 * grants to act for that business (a merchant acts within their business).
 */
export async function revokeGrantsOfUser(
  deps: GrantDeps,
  userId: string,
  reason: GrantRevocationReason,
  businessId?: string,
): Promise<void> {
  const grants = await deps.db.oAuthGrant.findMany({
    where: { userId, revokedAt: null, ...(businessId && { businessId }) },
    select: { id: true },
  });
  for (const grant of grants) await revokeOAuthGrant(deps, grant.id, reason);
}

/** Operators see every grant; merchants their businesses' grants; everyone their own. */
export function visibleGrantsWhere(actor: Actor) {
  if (may(actor, 'viewAllConnectedApps')) return {};
  const merchantOf = actor.memberships
    .filter((m) => mayIn(actor, m.businessId, 'manageConnectedApps'))
    .map((m) => m.businessId);
  return { OR: [{ userId: actor.userId }, { businessId: { in: merchantOf } }] };
}

export async function listConnectedApps(db: Db, actor: Actor): Promise<ConnectedAppView[]> {
  const rows = await db.oAuthGrant.findMany({
    where: { revokedAt: null, ...visibleGrantsWhere(actor) },
    include: {
      user: { select: { email: true } },
      business: { select: { name: true } },
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: 500,
  });
  return rows.map(connectedAppView);
}

/** A grant row (with its person's e-mail and its business's name) as the console shows it. */
export function connectedAppView(r: {
  id: string;
  clientId: string;
  clientName: string;
  userId: string;
  user: { email: string };
  businessId: string;
  business: { name: string };
  scopes: string[];
  toolPolicy: string;
  toolPolicyTools: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
}): ConnectedAppView {
  return {
    id: r.id,
    clientId: r.clientId,
    clientName: r.clientName,
    userId: r.userId,
    userEmail: r.user.email,
    businessId: r.businessId,
    businessName: r.business.name,
    scopes: r.scopes,
    toolPolicy: toolPolicyOf(r),
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
  };
}

export async function revokeConnectedApp(
  deps: GrantDeps,
  actor: Actor,
  grantId: string,
): Promise<void> {
  const grant = await deps.db.oAuthGrant.findUnique({ where: { id: grantId } });
  if (!grant || grant.revokedAt) throw notFound('Connected app not found');
  const own = grant.userId === actor.userId;
  const role = roleIn(actor, grant.businessId);
  if (!own && !roleMay(role, 'manageConnectedApps')) {
    // Someone else's grant in a business where the actor is no merchant: as if it did not exist.
    if (!role) throw notFound('Connected app not found');
    throw forbidden('Only a merchant of this business can revoke this connected app');
  }
  await revokeOAuthGrant(deps, grantId, 'console', actor.userId);
}
