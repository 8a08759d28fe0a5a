'use client';
// The audit trail, newest first, one page at a time ("Load more").
// Merchants see their business; operators may also see every business.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { MerchantOnly } from '@/components/app-shell';
import { Empty, ErrorAlert, Loading, PageHeader, StatusBadge } from '@/components/states';
import { useBusiness } from '@/lib/business';
import { useCapabilities } from '@/lib/capabilities';
import { formatDateTime, shortId } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

const PAGE_SIZE = 25;

export default function AuditPage() {
  const { business } = useBusiness();
  const { canAnywhere } = useCapabilities();
  if (!business) return null;
  return (
    <>
      <PageHeader
        title="Audit"
        description={
          canAnywhere('viewAllAudit')
            ? 'Everything done through the console and MCP, newest first.'
            : `What happened at ${business.name}, newest first.`
        }
      />
      <MerchantOnly action="viewAudit" what="read the audit trail">
        <AuditView key={business.id} businessId={business.id} businessName={business.name} />
      </MerchantOnly>
    </>
  );
}

function details(d: Record<string, unknown>): string {
  const entries = Object.entries(d);
  if (entries.length === 0) return '';
  const text = (v: unknown) =>
    typeof v === 'string'
      ? v
      : Array.isArray(v) && v.every((x) => typeof x === 'string')
        ? v.join(', ')
        : JSON.stringify(v);
  return entries.map(([k, v]) => `${k}: ${text(v)}`).join('\n');
}

function AuditView({ businessId, businessName }: { businessId: string; businessName: string }) {
  const trpc = useTRPC();
  const { businesses } = useBusiness();
  const seesAll = useCapabilities().canAnywhere('viewAllAudit');
  const [allBusinesses, setAllBusinesses] = useState(false);
  const scope = seesAll && allBusinesses ? {} : { businessId };
  const audit = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { ...scope, limit: PAGE_SIZE },
      { getNextPageParam: (last) => last.nextCursor ?? undefined, initialCursor: null },
    ),
  );
  const items = audit.data?.pages.flatMap((p) => p.items) ?? [];
  const businessName_ = (id: string | null) =>
    id ? (businesses.find((b) => b.id === id)?.name ?? shortId(id)) : '—';

  return (
    <>
      {seesAll && (
        <div className="filters">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={allBusinesses}
              onChange={(e) => setAllBusinesses(e.target.checked)}
            />
            <span>Show every business (not only {businessName})</span>
          </label>
        </div>
      )}
      {audit.isPending ? (
        <Loading label="Loading the audit trail…" />
      ) : audit.error && items.length === 0 ? (
        <ErrorAlert
          title="Cannot load the audit trail."
          error={audit.error}
          onRetry={() => void audit.refetch()}
        />
      ) : items.length === 0 ? (
        <Empty title="No events yet">
          Key changes, session events, tool calls and decisions are recorded here.
        </Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">Audit events</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Action</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Actor</th>
                  {seesAll && allBusinesses && <th scope="col">Business</th>}
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {items.map((event) => (
                  <tr key={event.id}>
                    <td data-label="Time" className="nowrap">
                      {formatDateTime(event.createdAt)}
                    </td>
                    <td data-label="Action">
                      <code>{event.action}</code>
                    </td>
                    <td data-label="Outcome">
                      <StatusBadge status={event.outcome} />
                    </td>
                    <td data-label="Actor" title={event.actorId ?? undefined}>
                      {event.actor?.label ?? event.actorKind}
                      {event.actor && <span className="cell-sub">{event.actorKind}</span>}
                    </td>
                    {seesAll && allBusinesses && (
                      <td data-label="Business">{businessName_(event.businessId)}</td>
                    )}
                    <td data-label="Details">
                      <pre className="details-json mono small">{details(event.details)}</pre>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {audit.error && <ErrorAlert title="Cannot load more." error={audit.error} />}
          <div className="load-more">
            {audit.hasNextPage ? (
              <button
                type="button"
                className="button"
                onClick={() => void audit.fetchNextPage()}
                disabled={audit.isFetchingNextPage}
              >
                {audit.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            ) : (
              <span className="muted small">
                {items.length} event{items.length === 1 ? '' : 's'} · the beginning of the trail
              </span>
            )}
          </div>
        </>
      )}
    </>
  );
}
