// The day's close of one business: its sales (net of refunds, by hour), the
// products running low, and the intents still waiting for a merchant. A day
// is a local day of the business's time zone; today when none is given.
import type { Db } from '@flowpos/db';
import { Temporal } from 'temporal-polyfill';
import { businessSettings } from './businesses.ts';
import { withCardFields } from './intent-cards.ts';
import { listIntents } from './intents.ts';
import { salesSummary } from './orders.ts';

export const DEFAULT_LOW_STOCK = 5;
/** Pending intents listed in the report (the count covers them all). */
const PENDING_LISTED = 10;
const LOW_STOCK_LISTED = 20;

export interface EndOfDayQuery {
  date?: string | undefined;
  lowStockThreshold?: number | undefined;
}

export interface EndOfDayOptions {
  /** Whether the caller may see intents; without it the report says nothing of them. */
  seesIntents: boolean;
  consoleUrl: string;
}

export async function endOfDayReport(
  db: Db,
  businessId: string,
  query: EndOfDayQuery,
  options: EndOfDayOptions,
) {
  const { timeZone, currency } = await businessSettings(db, businessId);
  const date = query.date ?? Temporal.Now.plainDateISO(timeZone).toString();
  const threshold = query.lowStockThreshold ?? DEFAULT_LOW_STOCK;
  const [business, sales, lowStock, pending] = await Promise.all([
    db.business.findUniqueOrThrow({ where: { id: businessId }, select: { name: true } }),
    salesSummary(db, businessId, { from: date, to: date }),
    db.product.findMany({
      where: { businessId, isActive: true, stock: { lte: threshold } },
      select: { id: true, sku: true, name: true, stock: true },
      orderBy: [{ stock: 'asc' }, { name: 'asc' }],
      take: LOW_STOCK_LISTED,
    }),
    options.seesIntents
      ? Promise.all([
          db.intent.count({ where: { businessId, status: 'pending' } }),
          listIntents(db, businessId, { status: 'pending', limit: PENDING_LISTED }),
        ])
      : null,
  ]);
  return {
    business: { id: businessId, name: business.name, currency, timeZone },
    date,
    sales,
    // Sales carry no payment method yet: the mix is reported once one is recorded.
    paymentMix: null,
    lowStock: { threshold, products: lowStock },
    pendingIntents: pending
      ? {
          count: pending[0],
          intents: await withCardFields(
            db,
            { businessId, currency, consoleUrl: options.consoleUrl },
            pending[1],
          ),
        }
      : null,
  };
}
