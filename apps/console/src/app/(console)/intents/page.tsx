'use client';
// Intents proposed by MCP clients (sales, refunds), for a merchant to approve
// or reject.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { MerchantOnly } from '@/components/app-shell';
import { ConfirmDialog } from '@/components/modal';
import { Empty, ErrorAlert, Loading, PageHeader, StatusBadge } from '@/components/states';
import { useBusiness } from '@/lib/business';
import { errorMessage } from '@/lib/errors';
import { formatCents, formatDateTime, shortId } from '@/lib/format';
import { useTRPC, type RouterInputs, type RouterOutputs } from '@/lib/trpc';

type IntentRow = RouterOutputs['intents']['list'][number];
type Status = NonNullable<RouterInputs['intents']['list']['status']>;
const STATUSES: Status[] = ['pending', 'approved', 'rejected', 'cancelled'];

export default function IntentsPage() {
  const { business } = useBusiness();
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
  const [status, setStatus] = useState<Status | ''>('pending');
  const [rejecting, setRejecting] = useState<IntentRow | null>(null);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const intents = useQuery(
    trpc.intents.list.queryOptions(
      { businessId, ...(status ? { status } : {}) },
      { refetchInterval: 10_000 },
    ),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.intents.list.queryKey() });

  const approve = useMutation(
    trpc.intents.approve.mutationOptions({
      onSuccess: async (intent) => {
        setNotice({ kind: 'success', text: approvedText(intent) });
        await refresh();
      },
      onError: (error) => setNotice({ kind: 'error', text: errorMessage(error) }),
    }),
  );
  const reject = useMutation(
    trpc.intents.reject.mutationOptions({
      onSuccess: async (intent) => {
        setRejecting(null);
        setNotice({ kind: 'success', text: `Intent ${shortId(intent.id)} rejected.` });
        await refresh();
      },
    }),
  );

  return (
    <>
      <div className="filters">
        <div className="field">
          <label htmlFor="intent-status">Status</label>
          <select
            id="intent-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as Status | '')}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s[0]?.toUpperCase()}
                {s.slice(1)}
              </option>
            ))}
            <option value="">All</option>
          </select>
        </div>
      </div>
      {notice && (
        <p
          className={`alert ${notice.kind === 'success' ? 'alert-success' : 'alert-error'}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
        >
          {notice.text}
        </p>
      )}
      {intents.isPending ? (
        <Loading label="Loading intents…" />
      ) : intents.error ? (
        <ErrorAlert
          title="Cannot load intents."
          error={intents.error}
          onRetry={() => void intents.refetch()}
        />
      ) : intents.data.length === 0 ? (
        <Empty title={status === 'pending' ? 'Nothing waiting for you' : 'No intents'}>
          {status === 'pending'
            ? 'When an MCP client proposes a sale or a refund, it shows up here for approval.'
            : 'No intent has this status.'}
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Intents</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Kind</th>
                <th scope="col">Amount and items</th>
                <th scope="col">Note</th>
                <th scope="col">Proposed by</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {intents.data.map((intent) => (
                <tr key={intent.id}>
                  <td data-label="Created" className="nowrap">
                    {formatDateTime(intent.createdAt)}
                  </td>
                  <td data-label="Kind">{intent.kind === 'sale' ? 'Sale' : 'Refund'}</td>
                  <td data-label="Amount">
                    <Summary intent={intent} />
                  </td>
                  <td data-label="Note">{intent.note ?? <span className="muted">—</span>}</td>
                  <td data-label="Proposed by" title={intent.proposedBy.ref}>
                    {intent.proposedBy.label}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={intent.status} />
                    {intent.decidedAt && (
                      <span className="cell-sub">{formatDateTime(intent.decidedAt)}</span>
                    )}
                  </td>
                  <td data-label="Actions" className="actions">
                    {intent.status === 'pending' ? (
                      <span className="button-row">
                        <button
                          type="button"
                          className="button button-small button-primary"
                          aria-label={`Approve intent ${intent.id}`}
                          disabled={approve.isPending}
                          onClick={() => {
                            setNotice(null);
                            approve.mutate({ businessId, intentId: intent.id });
                          }}
                        >
                          Approve
                        </button>
                        <button
                          type="button"
                          className="button button-small button-danger-outline"
                          aria-label={`Reject intent ${intent.id}`}
                          onClick={() => {
                            reject.reset();
                            setNotice(null);
                            setRejecting(intent);
                          }}
                        >
                          Reject
                        </button>
                      </span>
                    ) : (
                      <span className="muted small">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rejecting && (
        <ConfirmDialog
          title="Reject this intent?"
          confirmLabel="Reject intent"
          danger
          pending={reject.isPending}
          error={reject.error ? errorMessage(reject.error) : null}
          onClose={() => setRejecting(null)}
          onConfirm={() => reject.mutate({ businessId, intentId: rejecting.id })}
        >
          <p>
            The {rejecting.kind} intent <code>{shortId(rejecting.id)}</code> is rejected and nothing
            is recorded in the POS.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
