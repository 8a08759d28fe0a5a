// A merchant's decision on an intent, as the console makes it: only a
// merchant of the business (or an operator) decides, and every decision is
// audited. Approving a sale creates the order (see approveIntent).
import type { Db } from '@flowpos/db';
import type { Actor } from '../access/actor.ts';
import { authorizeIn } from '../access/permissions.ts';
import { actorLabels, type ActorLabel } from '../access/actor-labels.ts';
import { intentEffects, type IntentEffects } from './intent-effects.ts';
import type { AuditLog } from '../audit.ts';
import type { EventBus } from '../events.ts';
import { notFound } from '../errors.ts';
import {
  approveIntent,
  intentView,
  listIntents,
  rejectIntent,
  type IntentStatus,
  type IntentView,
} from './intents.ts';

export interface IntentDecisionDeps {
  db: Db;
  audit: AuditLog;
  /** Announces the decision to every instance (a client call may be waiting for it). */
  events?: EventBus | undefined;
}

export type IntentDecision = 'approve' | 'reject';

export async function listIntentsFor(
  db: Db,
  actor: Actor,
  businessId: string,
  query: { status?: IntentStatus | undefined } = {},
): Promise<(IntentView & { proposedBy: ActorLabel })[]> {
  authorizeIn(actor, businessId, 'decideIntents');
  const intents = await listIntents(db, businessId, query);
  const labels = await actorLabels(
    db,
    intents.map((i) => i.createdBy),
  );
  return intents.map((i) => ({
    ...i,
    proposedBy: labels.get(i.createdBy) ?? { label: i.createdBy, ref: i.createdBy },
  }));
}

/** One intent of the business, for its own console page (the link an AI client shows). */
export async function getIntentFor(
  db: Db,
  actor: Actor,
  businessId: string,
  intentId: string,
): Promise<IntentView & { proposedBy: ActorLabel; effects: IntentEffects }> {
  authorizeIn(actor, businessId, 'decideIntents');
  const row = await db.intent.findFirst({ where: { id: intentId, businessId } });
  if (!row) throw notFound('Intent not found in this business');
  const intent = intentView(row);
  const [labels, effects] = await Promise.all([
    actorLabels(db, [intent.createdBy]),
    intentEffects(db, businessId, intent),
  ]);
  return {
    ...intent,
    proposedBy: labels.get(intent.createdBy) ?? { label: intent.createdBy, ref: intent.createdBy },
    effects,
  };
}

export async function decideIntent(
  deps: IntentDecisionDeps,
  actor: Actor,
  input: { businessId: string; intentId: string },
  decision: IntentDecision,
): Promise<IntentView> {
  authorizeIn(actor, input.businessId, 'decideIntents');
  const intent =
    decision === 'approve'
      ? await approveIntent(deps.db, input.businessId, input.intentId, actor.userId)
      : await rejectIntent(deps.db, input.businessId, input.intentId, actor.userId);
  deps.audit.record({
    businessId: input.businessId,
    action: decision === 'approve' ? 'intent.approved' : 'intent.rejected',
    outcome: 'success',
    actorKind: 'user',
    actorId: actor.userId,
    details: { intentId: intent.id, kind: intent.kind, orderId: intent.orderId },
  });
  // Best effort: a waiting call also polls the store, so a lost announcement only delays it.
  deps.events?.publish({ type: 'intent.decided', intentId: intent.id }).catch(() => undefined);
  return intent;
}
