// Orders and sales figures, always within one business. `from`/`to` are read
// in the business's time zone (see date-range.ts); money is integer cents, and
// an order's refunds count against it by their amounts.
import type { Db } from '@flowpos/db';
import { notFound } from '../errors.ts';
import { businessSettings } from './businesses.ts';
import { localIso, resolveRange } from './date-range.ts';
import { salesChart } from './sales-chart.ts';

export type OrderStatus = 'completed' | 'partially_refunded' | 'refunded';

export interface DateQuery {
  from?: string | undefined;
  to?: string | undefined;
}

export const MAX_SUMMARY_DAYS = 366;

export async function listOrders(
  db: Db,
  businessId: string,
  query: DateQuery & { status?: OrderStatus | undefined; limit?: number | undefined },
) {
  const { timeZone } = await businessSettings(db, businessId);
  const placedAt = resolveRange(query, timeZone);
  const orders = await db.order.findMany({
    where: {
      businessId,
      ...(query.status ? { status: query.status } : {}),
      ...(placedAt.gte || placedAt.lt ? { placedAt } : {}),
    },
    orderBy: [{ placedAt: 'desc' }, { id: 'asc' }],
    take: query.limit ?? 20,
    include: { lines: { include: { product: { select: { name: true, sku: true } } } } },
  });
  return {
    timeZone,
    orders: orders.map((o) => ({
      id: o.id,
      status: o.status,
      totalCents: o.totalCents,
      refundedCents: o.refundedCents,
      netCents: o.totalCents - o.refundedCents,
      placedAt: o.placedAt.toISOString(),
      placedAtLocal: localIso(o.placedAt, timeZone),
      lines: o.lines.map((l) => ({
        productId: l.productId,
        sku: l.product.sku,
        name: l.product.name,
        quantity: l.quantity,
        unitPriceCents: l.unitPriceCents,
      })),
    })),
  };
}

export async function getOrder(db: Db, businessId: string, orderId: string) {
  const order = await db.order.findFirst({ where: { id: orderId, businessId } });
  if (!order) throw notFound('Order not found in the active business');
  return order;
}

export async function salesSummary(
  db: Db,
  businessId: string,
  query: { from: string; to: string },
) {
  const { timeZone, currency } = await businessSettings(db, businessId);
  const placedAt = resolveRange(query, timeZone, MAX_SUMMARY_DAYS);
  const where = { businessId, placedAt };
  const [byStatus, top, chartOrders] = await Promise.all([
    db.order.groupBy({
      by: ['status'],
      where,
      _sum: { totalCents: true, refundedCents: true },
      _count: true,
    }),
    db.orderLine.groupBy({
      by: ['productId'],
      where: { order: { ...where, status: { not: 'refunded' } } },
      _sum: { quantity: true },
      orderBy: { _sum: { quantity: 'desc' } },
      take: 5,
    }),
    db.order.findMany({
      where,
      select: { placedAt: true, totalCents: true, refundedCents: true, status: true },
    }),
  ]);
  const names = await db.product.findMany({
    where: { businessId, id: { in: top.map((t) => t.productId) } },
    select: { id: true, name: true },
  });
  type Row = (typeof byStatus)[number];
  const sum = (pick: (r: Row) => number, keep: (r: Row) => boolean = () => true) =>
    byStatus.filter(keep).reduce((total, r) => total + pick(r), 0);
  const grossCents = sum((r) => r._sum.totalCents ?? 0);
  const refundedCents = sum((r) => r._sum.refundedCents ?? 0);
  const revenueCents = grossCents - refundedCents;
  const orderCount = sum(
    (r) => r._count,
    (r) => r.status !== 'refunded',
  );
  return {
    timeZone,
    currency,
    from: query.from,
    to: query.to,
    fromInstant: placedAt.gte?.toISOString() ?? null,
    toInstantExclusive: placedAt.lt?.toISOString() ?? null,
    orderCount,
    grossCents,
    refundedCents,
    revenueCents,
    averageOrderCents: orderCount ? Math.round(revenueCents / orderCount) : 0,
    refundedOrderCount: sum(
      (r) => r._count,
      (r) => r.status !== 'completed',
    ),
    topProducts: top.map((t) => ({
      productId: t.productId,
      name: names.find((n) => n.id === t.productId)?.name ?? null,
      quantity: t._sum.quantity ?? 0,
    })),
    // from and to are both required, so the range has both ends.
    chart: salesChart(chartOrders, placedAt as Required<typeof placedAt>, timeZone),
  };
}
