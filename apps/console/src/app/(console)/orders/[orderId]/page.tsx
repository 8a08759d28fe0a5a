'use client';
// One order, where an approved intent's result links: its lines, total and
// refunds, and the intents (sale, refunds) behind it.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { MerchantOnly } from '@/components/app-shell';
import { DataTable } from '@/components/data-table';
import { PageHeader, QueryState, StatusBadge } from '@/components/states';
import { useBusiness } from '@/lib/business';
import { formatCents, formatDateTime, shortId } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

export default function OrderPage() {
  const { orderId } = useParams<{ orderId: string }>();
  const { business } = useBusiness();
  if (!business) return null;
  return (
    <>
      <PageHeader
        title={`Order ${shortId(orderId)}`}
        description={<Link href="/intents">Intents</Link>}
      />
      <MerchantOnly action="decideIntents" what="see orders">
        <OrderView key={business.id} businessId={business.id} orderId={orderId} />
      </MerchantOnly>
    </>
  );
}

function OrderView({ businessId, orderId }: { businessId: string; orderId: string }) {
  const trpc = useTRPC();
  const order = useQuery(trpc.orders.get.queryOptions({ businessId, orderId }));
  return (
    <QueryState query={order} loading="Loading the order…" failed="Cannot load this order.">
      {(o) => (
        <section className="panel" aria-label="Order">
          <dl className="facts intent-facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={o.status} />
            </dd>
            <dt>Placed</dt>
            <dd>{formatDateTime(o.placedAt)}</dd>
            <dt>Total</dt>
            <dd>{formatCents(o.totalCents)}</dd>
            <dt>Refunded</dt>
            <dd>{formatCents(o.refundedCents)}</dd>
          </dl>
          <DataTable
            caption="Order lines"
            rows={o.lines}
            rowKey={(l) => l.productId}
            empty={<p className="muted">No lines.</p>}
            columns={[
              { header: 'Product', cell: (l) => `${l.name} (${l.sku})` },
              { header: 'Quantity', cell: (l) => l.quantity },
              { header: 'Unit price', cell: (l) => formatCents(l.unitPriceCents) },
            ]}
          />
          {o.intents.length > 0 && (
            <>
              <h2 className="section-title">Intents</h2>
              <ul>
                {o.intents.map((i) => (
                  <li key={i.id}>
                    <Link href={`/intents/${i.id}?business=${businessId}`}>
                      {i.kind === 'sale' ? 'Sale' : 'Refund'} {shortId(i.id)}
                    </Link>{' '}
                    <StatusBadge status={i.status} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </QueryState>
  );
}
