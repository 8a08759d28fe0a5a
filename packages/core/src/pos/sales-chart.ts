// The chart of a sales summary: net sales per local hour when the range is
// one local day, per local day otherwise, in the business's time zone (DST
// included, by Temporal). Pure: the orders come from the caller's query.
import { Temporal } from 'temporal-polyfill';

export interface ChartOrder {
  placedAt: Date;
  totalCents: number;
  refundedCents: number;
  status: string;
}

export interface SalesChart {
  unit: 'hour' | 'day';
  /** Every hour of the day (00 to 23) or every day of the range, empty ones included. */
  points: { key: string; netCents: number; orderCount: number }[];
}

const MAX_DAYS = 400;
const local = (date: Date, timeZone: string) =>
  Temporal.Instant.fromEpochMilliseconds(date.getTime()).toZonedDateTimeISO(timeZone);

/** Buckets `orders` over [gte, lt) (local days of `timeZone`). */
export function salesChart(
  orders: readonly ChartOrder[],
  range: { gte: Date; lt: Date },
  timeZone: string,
): SalesChart {
  const first = local(range.gte, timeZone).toPlainDate();
  const last = local(new Date(range.lt.getTime() - 1), timeZone).toPlainDate();
  const unit = Temporal.PlainDate.compare(first, last) === 0 ? 'hour' : 'day';
  const keyOf = (date: Date) => {
    const at = local(date, timeZone);
    return unit === 'hour' ? String(at.hour).padStart(2, '0') : at.toPlainDate().toString();
  };
  const points = new Map<string, { key: string; netCents: number; orderCount: number }>();
  if (unit === 'hour') {
    for (let h = 0; h < 24; h++) {
      const key = String(h).padStart(2, '0');
      points.set(key, { key, netCents: 0, orderCount: 0 });
    }
  } else {
    // The summary allows 366 days; the cap only keeps a range from elsewhere finite.
    const days = Math.min(first.until(last).total('days'), MAX_DAYS);
    for (let d = 0; d <= days; d++) {
      const key = first.add({ days: d }).toString();
      points.set(key, { key, netCents: 0, orderCount: 0 });
    }
  }
  for (const order of orders) {
    const point = points.get(keyOf(order.placedAt));
    if (!point) continue;
    point.netCents += order.totalCents - order.refundedCents;
    if (order.status !== 'refunded') point.orderCount += 1;
  }
  return { unit, points: [...points.values()] };
}
