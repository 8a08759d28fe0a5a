// Approval in the client, shared by its tests: the two instances' settings,
// a shop with an order to refund, and what the console does when the
// merchant decides (on instance B, announced to A over Redis).
import { decideIntent, loadActorByUserId, type IntentDecision } from '@flowpos/core';
import { createBusiness, createKey, unique } from './fixtures.ts';
import { createDbUser } from './shared-services.ts';
import type { TwoInstances } from './two-instances.ts';

export const CONSOLE = 'http://console.flowpos.test';

/** Short approval rounds, and the console the links point to. */
export const APPROVAL_ENV = {
  CONSOLE_URL: CONSOLE,
  MCP_APPROVAL_ROUND_WAIT_MS: '1000',
  MCP_APPROVAL_ROUNDS: '3',
  MCP_APPROVAL_SESSION_WAIT_MS: '8000',
};

/** A business with one order, a merchant key, and a merchant who decides in the console. */
export async function shop(h: TwoInstances) {
  const biz = await createBusiness(h.db.prisma, unique('Approval Bar'));
  const key = (await createKey(h.db.prisma, { businessId: biz.business.id })).key;
  const user = await createDbUser(h.db.prisma, {
    email: `${unique('merchant')}@flowpos.test`,
    memberships: [{ businessId: biz.business.id, role: 'merchant' }],
  });
  return { biz, key, userId: user.id };
}

/** What the console's tRPC does when the merchant clicks, on instance B. */
export async function decide(
  h: TwoInstances,
  userId: string,
  businessId: string,
  intentId: string,
  how: IntentDecision,
) {
  const actor = await loadActorByUserId(h.db.prisma, userId);
  const services = h.b.services;
  return decideIntent(
    { db: h.db.prisma, audit: services.core.audit, events: services.core.events },
    actor,
    { businessId, intentId },
    how,
  );
}

export const intentIdIn = (url: string) => new URL(url).pathname.split('/').pop() as string;

export type IntentResult = { status: string; id: string; payload: { amountCents: number } };
export const structured = (result: unknown) =>
  (result as { structuredContent: IntentResult }).structuredContent;

export async function refundedCents(h: TwoInstances, orderId: string) {
  const order = await h.db.prisma.order.findUniqueOrThrow({ where: { id: orderId } });
  return order.refundedCents;
}
