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
import { ConfirmAction, useConfirmedAction } from '@/components/confirm-action';
import { IntentEffectsList, intentOrderId, OrderLink } from '@/components/intent-effects';
import {
  Empty,
  ErrorAlert,
  Loading,
  PageHeader,
  QueryState,
  StatusBadge,
} from '@/components/states';
import { useBusiness } from '@/lib/business';
import { formatDateTime, shortId } from '@/lib/format';
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
    <>
      <dl className="facts intent-facts">
        <dt>Kind</dt>
        <dd>{intent.kind === 'sale' ? 'Sale' : 'Refund'}</dd>
        {'lines' in p && (
          <>
            <dt>Items</dt>
            <dd>{p.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ')}</dd>
          </>
        )}
        {intent.note && 'lines' in p && (
          <>
            <dt>Note</dt>
            <dd>{intent.note}</dd>
          </>
        )}
        <dt>Proposed</dt>
        <dd>{formatDateTime(intent.createdAt)}</dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={intent.status} />
        </dd>
      </dl>
      <IntentEffectsList intent={intent} />
    </>
  );
}

function IntentView({ businessId, intentId }: { businessId: string; intentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { businessId, intentId };
  const intent = useQuery(trpc.intents.get.queryOptions(input));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.intents.pathKey() });
  // Approving moves money and stock: it is confirmed with what it does in view.
  const approve = useConfirmedAction(
    trpc.intents.approve.mutationOptions({ onSettled: refresh }),
    (_row: Intent) => input,
    () => undefined,
  );
  const reject = useMutation(trpc.intents.reject.mutationOptions({ onSettled: refresh }));
  const busy = approve.pending || reject.isPending;

  return (
    <QueryState query={intent} loading="Loading the intent…" failed="Cannot load this intent.">
      {(row) => (
        <section className="panel" aria-label="Intent">
          <Details intent={row} />
          {reject.error && (
            <ErrorAlert title="The decision was not recorded." error={reject.error} />
          )}
          {row.status === 'pending' ? (
            <div className="intent-actions">
              {(
                [
                  ['Approve', 'button-primary', () => approve.ask(row)],
                  ['Reject', 'button-danger-outline', () => reject.mutate(input)],
                ] as const
              ).map(([label, variant, decide]) => (
                <button
                  key={label}
                  type="button"
                  className={`button ${variant}`}
                  disabled={busy}
                  onClick={decide}
                >
                  {label}
                </button>
              ))}
            </div>
          ) : (
            <p role="status">
              This {row.kind} is {row.status}
              {row.decidedAt ? ` (${formatDateTime(row.decidedAt)})` : ''}.{' '}
              {row.status === 'approved' && intentOrderId(row) && (
                <>
                  <OrderLink orderId={intentOrderId(row)!} />.{' '}
                </>
              )}
              You can return to your AI client.
            </p>
          )}
          <ConfirmAction
            action={approve}
            title={(i) => (i.kind === 'sale' ? 'Approve this sale?' : 'Approve this refund?')}
            confirmLabel={(i) => (i.kind === 'sale' ? 'Approve sale' : 'Approve refund')}
          >
            {(i) => <IntentEffectsList intent={i} />}
          </ConfirmAction>
        </section>
      )}
    </QueryState>
  );
}
