// One order as a merchant reads it in the console (where an approved intent's
// result links): its lines, its total and refunds, and the intents behind it.
// Refund intents name the order in their payload, not in orderId, so both are read.
import type { Db } from '@flowpos/db';
import type { Actor } from '../access/actor.ts';
import { authorizeIn } from '../access/permissions.ts';
import { notFound } from '../errors.ts';

export async function getOrderFor(db: Db, actor: Actor, businessId: string, orderId: string) {
  authorizeIn(actor, businessId, 'decideIntents');
  const order = await db.order.findFirst({
    where: { id: orderId, businessId },
    include: { lines: { include: { product: { select: { sku: true, name: true } } } } },
  });
  if (!order) throw notFound('Order not found in this business');
  const intents = await db.intent.findMany({
    where: {
      businessId,
      OR: [{ orderId }, { kind: 'refund', payload: { path: ['orderId'], equals: orderId } }],
    },
    orderBy: { createdAt: 'asc' },
    select: { id: true, kind: true, status: true, createdAt: true },
  });
  return {
    id: order.id,
    status: order.status,
    totalCents: order.totalCents,
    refundedCents: order.refundedCents,
    placedAt: order.placedAt.toISOString(),
    lines: order.lines.map((l) => ({
      productId: l.productId,
      sku: l.product.sku,
      name: l.product.name,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
    })),
    intents: intents.map((i) => ({ ...i, createdAt: i.createdAt.toISOString() })),
  };
}
