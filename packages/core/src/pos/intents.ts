// Intents: what an MCP client may propose (a sale, a refund) and a merchant
// approves or rejects in the console. Approving a sale creates the order and
// takes its stock; approving a refund adds its amount to the order's refunded
// amount. State changes are conditional (the intent still pending, the stock
// still there, the refund still within what remains), so two deciders cannot
// both win and no figure goes past its bound.
import type { Db } from '@flowpos/db';
import { badRequest, conflict, notFound } from '../errors.ts';
import { businessSettings } from './businesses.ts';
import { keyedProposal } from './intent-idempotency.ts';
import { insertCounted, type ReserveProposal } from './counted-proposal.ts';
import { formatMoney } from './money.ts';

export type IntentStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

export interface SaleLineInput {
  productId: string;
  quantity: number;
}

export interface SalePayload {
  lines: {
    productId: string;
    sku: string;
    name: string;
    quantity: number;
    unitPriceCents: number;
  }[];
  totalCents: number;
}

export interface RefundPayload {
  orderId: string;
  amountCents: number;
  reason: string;
}

export function intentView(row: {
  id: string;
  kind: string;
  status: string;
  payload: unknown;
  note: string | null;
  createdBy: string;
  orderId: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}) {
  return {
    id: row.id,
    kind: row.kind as 'sale' | 'refund',
    status: row.status as IntentStatus,
    payload: row.payload as SalePayload | RefundPayload,
    note: row.note,
    createdBy: row.createdBy,
    orderId: row.orderId,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
export type IntentView = ReturnType<typeof intentView>;

/** What a sale asks of one product against what is on hand when it is proposed. */
export interface StockLine {
  productId: string;
  sku: string;
  requested: number;
  inStock: number;
}

const shortage = (l: StockLine) => `${l.sku} has ${l.inStock} in stock, ${l.requested} asked`;

export async function createSaleIntent(
  db: Db,
  businessId: string,
  createdBy: string,
  input: { lines: SaleLineInput[]; note?: string | undefined; idempotencyKey?: string | undefined },
  reserve?: ReserveProposal,
) {
  const { idempotencyKey, ...asked } = input;
  const keyed = keyedProposal(db, createdBy, idempotencyKey, { kind: 'sale', businessId, asked });
  // A retry answers with the intent it already proposed, whatever the stock now.
  const earlier = await keyed.earlier();
  if (earlier) return intentView(earlier);
  const ids = [...new Set(input.lines.map((l) => l.productId))];
  if (ids.length !== input.lines.length)
    throw badRequest('Each product may appear once; add up the quantities');
  const [products, business] = await Promise.all([
    db.product.findMany({ where: { businessId, id: { in: ids }, isActive: true } }),
    businessSettings(db, businessId),
  ]);
  const lines = input.lines.map((line) => {
    const product = products.find((p) => p.id === line.productId);
    if (!product) throw notFound(`Product ${line.productId} not found in the active business`);
    return { product, quantity: line.quantity };
  });
  const stock: StockLine[] = lines.map(({ product, quantity }) => ({
    productId: product.id,
    sku: product.sku,
    requested: quantity,
    inStock: product.stock,
  }));
  if (!business.allowBackorders) {
    const short = stock.filter((l) => l.requested > l.inStock);
    if (short.length > 0) throw conflict(`Not enough stock: ${short.map(shortage).join('; ')}`);
  }
  const payloadLines = lines.map(({ product, quantity }) => ({
    productId: product.id,
    sku: product.sku,
    name: product.name,
    quantity,
    unitPriceCents: product.priceCents,
  }));
  const payload: SalePayload = {
    lines: payloadLines,
    totalCents: payloadLines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0),
  };
  const row = await insertCounted(
    keyed,
    { businessId, kind: 'sale', payload: payload as object, note: input.note ?? null, createdBy },
    { kind: 'sale', amountCents: payload.totalCents },
    reserve,
  );
  return { ...intentView(row), stock };
}

export async function createRefundIntent(
  db: Db,
  businessId: string,
  createdBy: string,
  input: {
    orderId: string;
    reason: string;
    amountCents?: number | undefined;
    idempotencyKey?: string | undefined;
  },
  reserve?: ReserveProposal,
) {
  const { idempotencyKey, ...asked } = input;
  const keyed = keyedProposal(db, createdBy, idempotencyKey, { kind: 'refund', businessId, asked });
  const earlier = await keyed.earlier();
  if (earlier) return intentView(earlier);
  const order = await db.order.findFirst({
    where: { id: input.orderId, businessId },
    include: { business: { select: { currency: true } } },
  });
  if (!order) throw notFound('Order not found in the active business');
  const remaining = order.totalCents - order.refundedCents;
  if (remaining <= 0) throw conflict('This order is already fully refunded');
  const amountCents = input.amountCents ?? remaining;
  if (amountCents > remaining) {
    const money = (c: number) => formatMoney(c, order.business.currency);
    throw conflict(
      `A refund of ${money(amountCents)} exceeds what remains refundable on this order (${money(remaining)} of ${money(order.totalCents)})`,
    );
  }
  const payload: RefundPayload = { orderId: order.id, amountCents, reason: input.reason };
  const data = {
    businessId,
    kind: 'refund' as const,
    payload: payload as object,
    note: input.reason,
    createdBy,
    orderId: order.id,
  };
  return intentView(await insertCounted(keyed, data, { kind: 'refund', amountCents }, reserve));
}

export async function listIntents(
  db: Db,
  businessId: string,
  query: { status?: IntentStatus | undefined; limit?: number | undefined } = {},
) {
  const rows = await db.intent.findMany({
    where: { businessId, ...(query.status ? { status: query.status } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: query.limit ?? 50,
  });
  return rows.map(intentView);
}

async function pendingIntent(db: Db, businessId: string, intentId: string) {
  const intent = await db.intent.findFirst({ where: { id: intentId, businessId } });
  if (!intent) throw notFound('Intent not found in this business');
  if (intent.status !== 'pending') throw conflict(`This intent is already ${intent.status}`);
  return intent;
}

/** Moves a pending intent to `status`; false when someone else moved it first. */
async function settle(
  tx: Pick<Db, 'intent'>,
  intentId: string,
  status: IntentStatus,
  data: { decidedById?: string | null; orderId?: string | null } = {},
) {
  const { count } = await tx.intent.updateMany({
    where: { id: intentId, status: 'pending' },
    data: { status, decidedAt: new Date(), ...data },
  });
  if (count !== 1) throw conflict('This intent was decided in the meantime');
}

export async function cancelIntent(db: Db, businessId: string, intentId: string) {
  await pendingIntent(db, businessId, intentId);
  await settle(db, intentId, 'cancelled');
  return intentView(await db.intent.findUniqueOrThrow({ where: { id: intentId } }));
}

export async function rejectIntent(
  db: Db,
  businessId: string,
  intentId: string,
  deciderUserId: string,
) {
  await pendingIntent(db, businessId, intentId);
  await settle(db, intentId, 'rejected', { decidedById: deciderUserId });
  return intentView(await db.intent.findUniqueOrThrow({ where: { id: intentId } }));
}

export async function approveIntent(
  db: Db,
  businessId: string,
  intentId: string,
  deciderUserId: string,
) {
  const intent = await pendingIntent(db, businessId, intentId);
  await db.$transaction(async (tx) => {
    if (intent.kind === 'sale') {
      const payload = intent.payload as unknown as SalePayload;
      const ids = payload.lines.map((l) => l.productId);
      const present = await tx.product.count({ where: { businessId, id: { in: ids } } });
      if (present !== new Set(ids).size)
        throw conflict('A product of this sale no longer exists: reject the intent');
      const { allowBackorders } = await tx.business.findUniqueOrThrow({
        where: { id: businessId },
        select: { allowBackorders: true },
      });
      const order = await tx.order.create({
        data: {
          businessId,
          totalCents: payload.totalCents,
          lines: {
            create: payload.lines.map((l) => ({
              productId: l.productId,
              quantity: l.quantity,
              unitPriceCents: l.unitPriceCents,
            })),
          },
        },
      });
      // Conditional on the stock still being there: concurrent approvals queue
      // on the row lock and re-check, and a refusal rolls the whole sale back.
      for (const line of payload.lines) {
        const { count } = await tx.product.updateMany({
          where: {
            id: line.productId,
            businessId,
            ...(allowBackorders ? {} : { stock: { gte: line.quantity } }),
          },
          data: { stock: { decrement: line.quantity } },
        });
        if (count !== 1) {
          const now = await tx.product.findFirst({
            where: { id: line.productId, businessId },
            select: { stock: true },
          });
          throw conflict(
            `Not enough stock to approve: ${shortage({ ...line, requested: line.quantity, inStock: now?.stock ?? 0 })}. Reject the intent or restock first`,
          );
        }
      }
      await settle(tx, intent.id, 'approved', { decidedById: deciderUserId, orderId: order.id });
    } else {
      const payload = intent.payload as unknown as RefundPayload;
      // One statement, so the bound holds under concurrent approvals; SET
      // expressions read the row as it was before this update.
      const count = await tx.$executeRaw`
        UPDATE "order"
           SET refunded_cents = refunded_cents + ${payload.amountCents},
               status = CASE WHEN refunded_cents + ${payload.amountCents} >= total_cents
                             THEN 'refunded'::"OrderStatus"
                             ELSE 'partially_refunded'::"OrderStatus" END,
               updated_at = now()
         WHERE id = ${payload.orderId}::uuid
           AND business_id = ${businessId}::uuid
           AND refunded_cents + ${payload.amountCents} <= total_cents`;
      if (count !== 1)
        throw conflict(
          'This refund exceeds what remains refundable on the order (another refund came first): reject the intent',
        );
      await settle(tx, intent.id, 'approved', { decidedById: deciderUserId });
    }
  });
  return intentView(await db.intent.findUniqueOrThrow({ where: { id: intentId } }));
}
