// A connected app (OAuth grant) on its own page, and changing its tool policy:
// the same rule as revoking it (grants.ts): the person who gave it, or a
// merchant of its business. Its sessions and listen streams follow at once.
import type { Db } from '@flowpos/db';
import type { Actor } from '../access/actor.ts';
import { roleIn } from '../access/actor.ts';
import { may, roleMay } from '../access/permissions.ts';
import type { AuditLog } from '../audit.ts';
import { grantCredentialId } from '../credential-ids.ts';
import { forbidden, notFound } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { updateGrantToolPolicyInput } from '../schemas/keys.ts';
import type { SessionDirectory } from '../sessions/session-directory.ts';
import { applyToolPolicy, knownToolPolicy } from '../tools/tool-policy-rules.ts';
import {
  describePolicy,
  toolPolicyColumns,
  toolPolicyOf,
  type ToolPolicy,
} from '../tools/tool-policy.ts';
import { parse } from '../validation.ts';
import { connectedAppView, type ConnectedAppView } from './grants.ts';

export interface ConnectedAppDetail extends ConnectedAppView {
  toolPolicy: ToolPolicy;
  /** Whether the viewer may change it (and revoke it). */
  canManage: boolean;
}

/** A live grant the actor may see: their own, their businesses' as a merchant, any as an operator. */
async function visibleGrant(db: Db, actor: Actor, grantId: string) {
  const grant = await db.oAuthGrant.findUnique({
    where: { id: grantId },
    include: { user: { select: { email: true } }, business: { select: { name: true } } },
  });
  if (!grant || grant.revokedAt) throw notFound('Connected app not found');
  const own = grant.userId === actor.userId;
  const manages = roleMay(roleIn(actor, grant.businessId), 'manageConnectedApps');
  if (!own && !manages && !may(actor, 'viewAllConnectedApps')) {
    throw notFound('Connected app not found');
  }
  return { grant, canManage: own || manages };
}

export async function getConnectedApp(
  db: Db,
  actor: Actor,
  grantId: string,
): Promise<ConnectedAppDetail> {
  const { grant, canManage } = await visibleGrant(db, actor, grantId);
  return { ...connectedAppView(grant), canManage };
}

export async function updateGrantToolPolicy(
  deps: { db: Db; audit: AuditLog; events: EventBus; sessions: SessionDirectory },
  actor: Actor,
  raw: unknown,
): Promise<ConnectedAppDetail> {
  const input = parse(updateGrantToolPolicyInput, raw);
  const { grant, canManage } = await visibleGrant(deps.db, actor, input.grantId);
  if (!canManage) {
    throw forbidden('Only a merchant of this business can change this connected app');
  }
  const policy = knownToolPolicy(input.toolPolicy);
  await deps.db.oAuthGrant.update({ where: { id: grant.id }, data: toolPolicyColumns(policy) });
  const credential = grantCredentialId(grant.id);
  // The grant is read on every request (no cache); credential.changed re-checks its listen streams.
  await applyToolPolicy(
    deps,
    [{ credential, event: { type: 'credential.changed', credential } }],
    policy,
  );
  deps.audit.record({
    businessId: grant.businessId,
    action: 'oauth.tool_policy_changed',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: {
      grantId: grant.id,
      clientId: grant.clientId,
      from: describePolicy(toolPolicyOf(grant)),
      to: describePolicy(policy),
    },
  });
  return getConnectedApp(deps.db, actor, grant.id);
}
