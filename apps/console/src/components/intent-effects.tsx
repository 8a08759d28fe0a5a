'use client';
// What approving an intent does, shown before a merchant confirms it: the
// amount, the items and the stock each would leave (a sale), the order and
// what stays refundable (a refund), who proposed it and from which client.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { formatCents, shortId } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { Loading } from './states';

type Intent = RouterOutputs['intents']['get'];

/** The order an intent made (a sale) or refunds (a refund), if any. */
export function intentOrderId(intent: {
  orderId: string | null;
  payload: Intent['payload'];
}): string | null {
  return intent.orderId ?? ('orderId' in intent.payload ? intent.payload.orderId : null);
}

export function OrderLink({ orderId }: { orderId: string }) {
  return <Link href={`/orders/${orderId}`}>Order {shortId(orderId)}</Link>;
}

export function IntentEffectsList({ intent }: { intent: Intent }) {
  const p = intent.payload;
  const { stockAfter, refund, client } = intent.effects;
  return (
    <dl className="intent-effects" aria-label="What approving does">
      <dt>Amount</dt>
      <dd>{formatCents('lines' in p ? p.totalCents : p.amountCents)}</dd>
      {stockAfter && (
        <>
          <dt>Stock after</dt>
          <dd>
            <ul className="plain-list">
              {stockAfter.map((l) => (
                <li key={l.productId}>
                  {l.quantity} × {l.name} ({l.sku}): {l.inStock} in stock →{' '}
                  <strong className={l.after < 0 ? 'text-danger' : undefined}>{l.after}</strong>{' '}
                  after
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
      {'orderId' in p && (
        <>
          <dt>Order</dt>
          <dd>
            <OrderLink orderId={p.orderId} />
            {refund &&
              `: ${formatCents(refund.refundedCents)} of ${formatCents(refund.totalCents)} refunded so far, ${formatCents(Math.max(0, refund.remainingAfterCents))} refundable after`}
          </dd>
          <dt>Reason</dt>
          <dd>{p.reason}</dd>
        </>
      )}
      {'lines' in p && (
        <>
          <dt>Order</dt>
          <dd>
            {intent.orderId ? <OrderLink orderId={intent.orderId} /> : 'A new order is created'}
          </dd>
        </>
      )}
      <dt>Proposed by</dt>
      <dd title={intent.proposedBy.ref}>{intent.proposedBy.label}</dd>
      <dt>From</dt>
      <dd>{client}</dd>
    </dl>
  );
}

/** The effects of one intent, loaded for a confirmation dialog. */
export function IntentEffects({ businessId, intentId }: { businessId: string; intentId: string }) {
  const trpc = useTRPC();
  const intent = useQuery(trpc.intents.get.queryOptions({ businessId, intentId }));
  if (intent.isPending) return <Loading label="Loading what it does…" />;
  if (!intent.data) return <p className="alert alert-error">Cannot load what this intent does.</p>;
  return <IntentEffectsList intent={intent.data} />;
}
