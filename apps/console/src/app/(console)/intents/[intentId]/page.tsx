'use client';
// One intent's page: the link an AI client shows when it asks a merchant to
// approve a sale or a refund (`/intents/<id>?business=<id>`). The merchant
// signs in if needed, comes back here, approves or rejects, and is told to
// return to the AI client, whose call then answers the decision.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useParams, useSearchParams } from 'next/navigation';
import { Suspense, useEffect } from 'react';
import { MerchantOnly } from '@/components/app-shell';
import {
  Empty,
  ErrorAlert,
  Loading,
  PageHeader,
  QueryState,
  StatusBadge,
} from '@/components/states';
import { useBusiness } from '@/lib/business';
import { formatCents, formatDateTime, shortId } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';

type Intent = RouterOutputs['intents']['get'];

export default function IntentPage() {
  return (
    <Suspense fallback={<Loading label="Loading the intent…" />}>
      <IntentLanding />
    </Suspense>
  );
}

function IntentLanding() {
  const { intentId } = useParams<{ intentId: string }>();
  const wanted = useSearchParams().get('business');
  const { business, businesses, setBusinessId } = useBusiness();
  const known = businesses.some((b) => b.id === wanted);
  // The link names the intent's business: select it, as the switcher would.
  useEffect(() => {
    if (wanted && known && business?.id !== wanted) setBusinessId(wanted);
  }, [wanted, known, business?.id, setBusinessId]);
  if (!business) return null;
  if (wanted && !known) {
    return (
      <>
        <PageHeader title="Intent" />
        <Empty title="Not one of your businesses">
          This intent belongs to a business you are not a member of. Sign in with the account of one
          of its merchants.
        </Empty>
      </>
    );
  }
  if (wanted && business.id !== wanted) return <Loading label="Switching business…" />;
  return (
    <>
      <PageHeader
        title={`Intent ${shortId(intentId)}`}
        description={<Link href="/intents">All intents</Link>}
      />
      <MerchantOnly action="decideIntents" what="decide intents">
        <IntentView
          key={`${business.id}/${intentId}`}
          businessId={business.id}
          intentId={intentId}
        />
      </MerchantOnly>
    </>
  );
}

function Details({ intent }: { intent: Intent }) {
  const p = intent.payload;
  return (
    <dl className="intent-facts">
      <dt>Kind</dt>
      <dd>{intent.kind === 'sale' ? 'Sale' : 'Refund'}</dd>
      <dt>Amount</dt>
      <dd>{formatCents('lines' in p ? p.totalCents : p.amountCents)}</dd>
      {'lines' in p ? (
        <>
          <dt>Items</dt>
          <dd>{p.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ')}</dd>
        </>
      ) : (
        <>
          <dt>Order</dt>
          <dd>{shortId(p.orderId)}</dd>
          <dt>Reason</dt>
          <dd>{p.reason}</dd>
        </>
      )}
      {intent.note && 'lines' in p && (
        <>
          <dt>Note</dt>
          <dd>{intent.note}</dd>
        </>
      )}
      <dt>Proposed by</dt>
      <dd title={intent.proposedBy.ref}>{intent.proposedBy.label}</dd>
      <dt>Proposed</dt>
      <dd>{formatDateTime(intent.createdAt)}</dd>
      <dt>Status</dt>
      <dd>
        <StatusBadge status={intent.status} />
      </dd>
    </dl>
  );
}

function IntentView({ businessId, intentId }: { businessId: string; intentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { businessId, intentId };
  const intent = useQuery(trpc.intents.get.queryOptions(input));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.intents.pathKey() });
  const approve = useMutation(trpc.intents.approve.mutationOptions({ onSettled: refresh }));
  const reject = useMutation(trpc.intents.reject.mutationOptions({ onSettled: refresh }));
  const busy = approve.isPending || reject.isPending;
  const failed = approve.error ?? reject.error;

  return (
    <QueryState query={intent} loading="Loading the intent…" failed="Cannot load this intent.">
      {(row) => (
        <section className="panel" aria-label="Intent">
          <Details intent={row} />
          {failed && <ErrorAlert title="The decision was not recorded." error={failed} />}
          {row.status === 'pending' ? (
            <div className="intent-actions">
              <button
                type="button"
                className="button button-primary"
                disabled={busy}
                onClick={() => approve.mutate(input)}
              >
                Approve
              </button>
              <button
                type="button"
                className="button button-danger-outline"
                disabled={busy}
                onClick={() => reject.mutate(input)}
              >
                Reject
              </button>
            </div>
          ) : (
            <p role="status">
              This {row.kind} is {row.status}
              {row.decidedAt ? ` (${formatDateTime(row.decidedAt)})` : ''}. You can return to your
              AI client.
            </p>
          )}
        </section>
      )}
    </QueryState>
  );
}
