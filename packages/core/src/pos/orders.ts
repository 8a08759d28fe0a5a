// Orders and sales figures, always within one business.
import type { Db } from '@flowpos/db';
import { badRequest, notFound } from '../errors.ts';

export interface DateRange {
  from: Date;
  to: Date;
}

export function checkRange(range: DateRange, maxDays = 366): DateRange {
  if (range.from.getTime() > range.to.getTime()) throw badRequest('from must be before to');
  if (range.to.getTime() - range.from.getTime() > maxDays * 86_400_000) {
    throw badRequest(`The date range is at most ${maxDays} days`);
  }
  return range;
}

export async function listOrders(
  db: Db,
  businessId: string,
  query: {
    from?: Date | undefined;
    to?: Date | undefined;
    status?: 'completed' | 'refunded' | undefined;
    limit?: number | undefined;
  },
) {
  const orders = await db.order.findMany({
    where: {
      businessId,
      ...(query.status ? { status: query.status } : {}),
      ...(query.from || query.to
        ? {
            placedAt: {
              ...(query.from ? { gte: query.from } : {}),
              ...(query.to ? { lte: query.to } : {}),
            },
          }
        : {}),
    },
    orderBy: [{ placedAt: 'desc' }, { id: 'asc' }],
    take: query.limit ?? 20,
    include: { lines: { include: { product: { select: { name: true, sku: true } } } } },
  });
  return orders.map((o) => ({
    id: o.id,
    status: o.status,
    totalCents: o.totalCents,
    placedAt: o.placedAt.toISOString(),
    lines: o.lines.map((l) => ({
      productId: l.productId,
      sku: l.product.sku,
      name: l.product.name,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
    })),
  }));
}

export async function getOrder(db: Db, businessId: string, orderId: string) {
  const order = await db.order.findFirst({ where: { id: orderId, businessId } });
  if (!order) throw notFound('Order not found in the active business');
  return order;
}

export async function salesSummary(db: Db, businessId: string, range: DateRange) {
  checkRange(range);
  const where = { businessId, placedAt: { gte: range.from, lte: range.to } };
  const [completed, refunded, top] = await Promise.all([
    db.order.aggregate({
      where: { ...where, status: 'completed' },
      _sum: { totalCents: true },
      _count: true,
    }),
    db.order.aggregate({
      where: { ...where, status: 'refunded' },
      _sum: { totalCents: true },
      _count: true,
    }),
    db.orderLine.groupBy({
      by: ['productId'],
      where: { order: where },
      _sum: { quantity: true },
      orderBy: { _sum: { quantity: 'desc' } },
      take: 5,
    }),
  ]);
  const names = await db.product.findMany({
    where: { businessId, id: { in: top.map((t) => t.productId) } },
    select: { id: true, name: true },
  });
  const revenueCents = completed._sum.totalCents ?? 0;
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    orderCount: completed._count,
    revenueCents,
    averageOrderCents: completed._count ? Math.round(revenueCents / completed._count) : 0,
    refundedOrderCount: refunded._count,
    refundedCents: refunded._sum.totalCents ?? 0,
    topProducts: top.map((t) => ({
      productId: t.productId,
      name: names.find((n) => n.id === t.productId)?.name ?? null,
      quantity: t._sum.quantity ?? 0,
    })),
  };
}
