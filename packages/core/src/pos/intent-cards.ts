// What an approvals card shows of an intent, beside the intent itself: its
// amount, the order it refunds, who proposed it (a key's name, a user's
// e-mail) and the console page where a merchant decides it. The card only
// links there: approval stays the console's.
import type { Db } from '@flowpos/db';
import { actorLabels, type ActorLabel } from '../access/actor-labels.ts';
import type { IntentView } from './intents.ts';

export interface IntentCardFields {
  amountCents: number;
  currency: string;
  proposedBy: ActorLabel;
  /** The console's intents page for this intent, in its business. */
  consoleUrl: string;
}

/**
 * The console page of one intent, in its business (`/intents/<id>?business=<id>`):
 * where a merchant approves or rejects it, the link of the approvals card and
 * of an approval asked through the client.
 */
export function intentConsoleUrl(consoleUrl: string, businessId: string, intentId: string): string {
  return `${consoleUrl}/intents/${encodeURIComponent(intentId)}?business=${encodeURIComponent(businessId)}`;
}

const amountOf = (intent: IntentView) =>
  'lines' in intent.payload ? intent.payload.totalCents : intent.payload.amountCents;

/** `intents` (of `businessId`) with their card fields; one query for the proposers' labels. */
export async function withCardFields<T extends IntentView>(
  db: Db,
  where: { businessId: string; currency: string; consoleUrl: string },
  intents: readonly T[],
): Promise<(T & IntentCardFields)[]> {
  const labels = await actorLabels(
    db,
    intents.map((i) => i.createdBy),
  );
  return intents.map((intent) => ({
    ...intent,
    amountCents: amountOf(intent),
    currency: where.currency,
    proposedBy: labels.get(intent.createdBy) ?? { label: intent.createdBy, ref: intent.createdBy },
    consoleUrl: intentConsoleUrl(where.consoleUrl, where.businessId, intent.id),
  }));
}
