'use client';
// Intents proposed by MCP clients (sales, refunds), for a merchant to approve
// or reject.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { MerchantOnly } from '@/components/app-shell';
import { ConfirmAction, useConfirmedAction } from '@/components/confirm-action';
import { actionsColumn, DataTable, RowButton, type Column } from '@/components/data-table';
import { SelectField } from '@/components/field';
import { Empty, PageHeader, QueryState, StatusBadge } from '@/components/states';
import { useToast } from '@/components/toasts';
import { IntentEffects, intentOrderId, OrderLink } from '@/components/intent-effects';
import { useBusiness } from '@/lib/business';
import { formatCents, formatDateTime, shortId } from '@/lib/format';
import { useTRPC, type RouterInputs, type RouterOutputs } from '@/lib/trpc';

type IntentRow = RouterOutputs['intents']['list'][number];
type Status = NonNullable<RouterInputs['intents']['list']['status']>;
const STATUSES: Status[] = ['pending', 'approved', 'rejected', 'cancelled'];

/**
 * A link to one intent (the approvals card in an MCP client opens
 * /intents?businessId=…&intent=…) names the intent's business: show that one,
 * when it is one of the user's, once per visit.
 */
function useBusinessFromLink() {
  const { businesses, business, setBusinessId } = useBusiness();
  const applied = useRef(false);
  useEffect(() => {
    if (applied.current) return;
    applied.current = true;
    const linked = new URLSearchParams(window.location.search).get('businessId');
    if (linked && linked !== business?.id && businesses.some((b) => b.id === linked)) {
      setBusinessId(linked);
    }
  }, [businesses, business, setBusinessId]);
}

export default function IntentsPage() {
  const { business } = useBusiness();
  useBusinessFromLink();
  if (!business) return null;
  return (
    <>
      <PageHeader
        title="Intents"
        description="Sales and refunds proposed by MCP clients wait here for a merchant's decision."
      />
      <MerchantOnly action="decideIntents" what="decide intents">
        <IntentsView key={business.id} businessId={business.id} />
      </MerchantOnly>
    </>
  );
}

function Summary({ intent }: { intent: IntentRow }) {
  const p = intent.payload;
  if ('lines' in p) {
    return (
      <>
        <strong>{formatCents(p.totalCents)}</strong>
        <span className="cell-sub">
          {p.lines.map((l) => `${l.quantity} × ${l.name}`).join(', ')}
        </span>
      </>
    );
  }
  return (
    <>
      <strong>{formatCents(p.amountCents)}</strong>
      <span className="cell-sub">
        Refund of order {shortId(p.orderId)}: {p.reason}
      </span>
    </>
  );
}

const COLUMNS: Column<IntentRow>[] = [
  { header: 'Created', className: 'nowrap', cell: (i) => formatDateTime(i.createdAt) },
  { header: 'Kind', cell: (i) => (i.kind === 'sale' ? 'Sale' : 'Refund') },
  { header: 'Amount and items', label: 'Amount', cell: (i) => <Summary intent={i} /> },
  { header: 'Note', cell: (i) => i.note ?? <span className="muted">—</span> },
  { header: 'Proposed by', title: (i) => i.proposedBy.ref, cell: (i) => i.proposedBy.label },
  {
    header: 'Status',
    cell: (i) => (
      <>
        <StatusBadge status={i.status} />
        {i.decidedAt && <span className="cell-sub">{formatDateTime(i.decidedAt)}</span>}
        {i.status === 'approved' && intentOrderId(i) && (
          <span className="cell-sub">
            <OrderLink orderId={intentOrderId(i)!} />
          </span>
        )}
      </>
    ),
  },
];

/** What approving did, in the merchant's words. */
function approvedText(intent: RouterOutputs['intents']['approve']): string {
  const p = intent.payload;
  const order = intent.orderId ? shortId(intent.orderId) : '—';
  if ('lines' in p) return `Sale of ${formatCents(p.totalCents)} approved: order ${order} created.`;
  return `Refund of ${formatCents(p.amountCents)} on order ${shortId(p.orderId)} approved.`;
}

function IntentsView({ businessId }: { businessId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [status, setStatus] = useState<Status | ''>('pending');
  const intents = useQuery(
    trpc.intents.list.queryOptions(
      { businessId, ...(status ? { status } : {}) },
      { refetchInterval: 10_000 },
    ),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.intents.list.queryKey() });

  // Approving moves money and stock: confirmed with what it does in view.
  const approve = useConfirmedAction(
    trpc.intents.approve.mutationOptions(),
    (intent: IntentRow) => ({ businessId, intentId: intent.id }),
    async (result) => {
      notify(approvedText(result));
      setApproved(result);
      await refresh();
    },
  );
  // The last approval stays in view with a link to its order (toasts fade).
  const [approved, setApproved] = useState<RouterOutputs['intents']['approve'] | null>(null);
  const approvedOrder = approved ? intentOrderId(approved) : null;
  const reject = useConfirmedAction(
    trpc.intents.reject.mutationOptions(),
    (intent: IntentRow) => ({ businessId, intentId: intent.id }),
    async (intent) => {
      notify(`Intent ${shortId(intent.id)} rejected.`);
      await refresh();
    },
  );

  return (
    <>
      <div className="filters">
        <SelectField
          id="intent-status"
          label="Status"
          value={status}
          onChange={setStatus}
          choices={[
            ...STATUSES.map((s) => ({ value: s, label: `${s[0]?.toUpperCase()}${s.slice(1)}` })),
            { value: '', label: 'All' },
          ]}
        />
      </div>
      {approved && (
        <p className="alert alert-success" data-testid="approved-result">
          {approvedText(approved)} {approvedOrder && <OrderLink orderId={approvedOrder} />}
        </p>
      )}
      <QueryState query={intents} loading="Loading intents…" failed="Cannot load intents.">
        {(rows) => (
          <DataTable
            caption="Intents"
            rows={rows}
            rowKey={(i) => i.id}
            empty={
              <Empty title={status === 'pending' ? 'Nothing waiting for you' : 'No intents'}>
                {status === 'pending'
                  ? 'When an MCP client proposes a sale or a refund, it shows up here for approval.'
                  : 'No intent has this status.'}
              </Empty>
            }
            columns={[
              ...COLUMNS,
              actionsColumn<IntentRow>((intent) =>
                intent.status === 'pending' ? (
                  <>
                    <RowButton
                      name={`Approve intent ${intent.id}`}
                      tone="primary"
                      disabled={approve.pending}
                      onClick={() => approve.ask(intent)}
                    >
                      Approve
                    </RowButton>
                    <RowButton
                      name={`Reject intent ${intent.id}`}
                      tone="danger"
                      onClick={() => reject.ask(intent)}
                    >
                      Reject
                    </RowButton>
                  </>
                ) : null,
              ),
            ]}
          />
        )}
      </QueryState>
      <ConfirmAction
        action={approve}
        title={(i) => (i.kind === 'sale' ? 'Approve this sale?' : 'Approve this refund?')}
        confirmLabel={(i) => (i.kind === 'sale' ? 'Approve sale' : 'Approve refund')}
      >
        {(intent) => <IntentEffects businessId={businessId} intentId={intent.id} />}
      </ConfirmAction>
      <ConfirmAction
        action={reject}
        title="Reject this intent?"
        confirmLabel="Reject intent"
        danger
      >
        {(intent) => (
          <p>
            The {intent.kind} intent <code>{shortId(intent.id)}</code> is rejected and nothing is
            recorded in the POS.
          </p>
        )}
      </ConfirmAction>
    </>
  );
}
