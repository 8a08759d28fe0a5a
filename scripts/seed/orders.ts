// Four weeks of deterministic order history for a demo business, in its time zone.
import { randomUUID } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import type { Db } from '@flowpos/db';
import type { BusinessDef } from './businesses.ts';

/** mulberry32: small deterministic PRNG, seeded from a string. */
function prng(seedText: string): () => number {
  let a = 0x9e3779b9;
  for (const ch of seedText) a = Math.imul(a ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function intBetween(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

export async function generateOrders(
  prisma: Db,
  def: BusinessDef,
  businessId: string,
  products: { id: string; priceCents: number }[],
  now: Date,
): Promise<number> {
  if (products.length === 0) return 0;
  const rand = prng(def.name);
  const orders: {
    id: string;
    businessId: string;
    status: 'completed' | 'refunded';
    totalCents: number;
    refundedCents: number;
    placedAt: Date;
  }[] = [];
  const lines: { orderId: string; productId: string; quantity: number; unitPriceCents: number }[] =
    [];
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime())
    .toZonedDateTimeISO(def.timeZone)
    .toPlainDate();
  for (let daysAgo = 27; daysAgo >= 0; daysAgo--) {
    const dayStart = today
      .subtract({ days: daysAgo })
      .toZonedDateTime({ timeZone: def.timeZone }).epochMilliseconds;
    const count = intBetween(rand, def.ordersPerDay[0], def.ordersPerDay[1]);
    for (let i = 0; i < count; i++) {
      const minute = intBetween(rand, def.hours[0] * 60, def.hours[1] * 60 - 1);
      const placedAt = new Date(dayStart + minute * 60_000 + intBetween(rand, 0, 59) * 1000);
      const lineCount = intBetween(rand, 1, 4);
      const chosen = new Set<number>();
      while (chosen.size < Math.min(lineCount, products.length))
        chosen.add(Math.floor(rand() * products.length));
      const quantities = [...chosen].map(() => (rand() < 0.75 ? 1 : intBetween(rand, 2, 4)));
      const refunded = rand() < 0.03;
      if (placedAt > now) continue; // keep the draws deterministic, skip the future
      const orderId = randomUUID();
      let total = 0;
      [...chosen].forEach((index, n) => {
        const product = products[index] as { id: string; priceCents: number };
        const quantity = quantities[n] as number;
        total += quantity * product.priceCents;
        lines.push({
          orderId,
          productId: product.id,
          quantity,
          unitPriceCents: product.priceCents,
        });
      });
      orders.push({
        id: orderId,
        businessId,
        status: refunded ? 'refunded' : 'completed',
        totalCents: total,
        refundedCents: refunded ? total : 0,
        placedAt,
      });
    }
  }
  await prisma.$transaction([
    prisma.order.createMany({ data: orders.map((o) => ({ ...o, createdAt: o.placedAt })) }),
    prisma.orderLine.createMany({ data: lines }),
  ]);
  return orders.length;
}
