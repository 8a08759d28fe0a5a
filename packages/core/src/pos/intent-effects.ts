// What approving an intent would do, for the merchant who decides it: the
// stock each product would have left (a sale), what remains refundable on the
// order (a refund), and which client proposed it (the key's name or the
// connected app, beside the person-readable proposer). Read when the page is
// shown; approval re-checks everything in one transaction.
import type { Db } from '@flowpos/db';
import { parseActorRef } from '../credential-ids.ts';
import type { IntentView, RefundPayload, SalePayload } from './intents.ts';

export interface StockAfter {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  inStock: number;
  /** inStock − quantity; negative only where backorders are allowed. */
  after: number;
}

export interface RefundEffect {
  orderId: string;
  totalCents: number;
  refundedCents: number;
  /** What stays refundable on the order once this refund is approved. */
  remainingAfterCents: number;
}

export interface IntentEffects {
  stockAfter: StockAfter[] | null;
  refund: RefundEffect | null;
  /** The client that proposed it, as people read it: "API key Till 2", "Claude (connected app)". */
  client: string;
}

export async function intentEffects(
  db: Db,
  businessId: string,
  intent: IntentView,
): Promise<IntentEffects> {
  const client = await proposingClient(db, intent.createdBy);
  if (intent.kind === 'sale') {
    const payload = intent.payload as SalePayload;
    const products = await db.product.findMany({
      where: { businessId, id: { in: payload.lines.map((l) => l.productId) } },
      select: { id: true, stock: true },
    });
    const stock = new Map(products.map((p) => [p.id, p.stock]));
    return {
      client,
      refund: null,
      stockAfter: payload.lines.map((l) => {
        const inStock = stock.get(l.productId) ?? 0;
        return { ...pick(l), inStock, after: inStock - l.quantity };
      }),
    };
  }
  const payload = intent.payload as RefundPayload;
  const order = await db.order.findFirst({
    where: { id: payload.orderId, businessId },
    select: { totalCents: true, refundedCents: true },
  });
  return {
    client,
    stockAfter: null,
    refund: order
      ? {
          orderId: payload.orderId,
          totalCents: order.totalCents,
          refundedCents: order.refundedCents,
          remainingAfterCents: order.totalCents - order.refundedCents - payload.amountCents,
        }
      : null,
  };
}

const pick = (l: SalePayload['lines'][number]) => ({
  productId: l.productId,
  sku: l.sku,
  name: l.name,
  quantity: l.quantity,
});

async function proposingClient(db: Db, createdBy: string): Promise<string> {
  const ref = parseActorRef(createdBy);
  if (ref?.kind === 'key') {
    const key = isUuid(ref.id)
      ? await db.apiKey.findUnique({ where: { id: ref.id }, select: { name: true } })
      : null;
    return key ? `API key “${key.name}”` : 'an API key that no longer exists';
  }
  if (ref?.kind === 'grant') {
    const grant = await db.oAuthGrant.findUnique({
      where: { id: ref.id },
      select: { clientName: true },
    });
    return grant ? `${grant.clientName} (connected app)` : 'a connected app since removed';
  }
  return 'an MCP client signed in with an access token';
}

const isUuid = (id: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
