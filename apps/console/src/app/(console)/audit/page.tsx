'use client';
// The audit trail, newest first, one page at a time ("Load more").
// Merchants see their business; operators may also see every business.
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { MerchantOnly } from '@/components/app-shell';
import { DataTable, type Column } from '@/components/data-table';
import { CheckboxField } from '@/components/field';
import { Empty, PageHeader, QueryState, StatusBadge } from '@/components/states';
import { useBusiness } from '@/lib/business';
import { useCapabilities } from '@/lib/capabilities';
import { formatDateTime, shortId } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';

type AuditRow = RouterOutputs['audit']['list']['items'][number];

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

const COLUMNS: Column<AuditRow>[] = [
  { header: 'Time', className: 'nowrap', cell: (e) => formatDateTime(e.createdAt) },
  { header: 'Action', cell: (e) => <code>{e.action}</code> },
  { header: 'Outcome', cell: (e) => <StatusBadge status={e.outcome} /> },
  {
    header: 'Actor',
    title: (e) => e.actorId,
    cell: (e) => (
      <>
        {e.actor?.label ?? e.actorKind}
        {e.actor && <span className="cell-sub">{e.actorKind}</span>}
      </>
    ),
  },
];

const DETAILS: Column<AuditRow> = {
  header: 'Details',
  cell: (e) => <pre className="details-json mono small">{details(e.details)}</pre>,
};

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
  const everyBusiness = seesAll && allBusinesses;
  const businessColumn: Column<AuditRow> = {
    header: 'Business',
    cell: (e) =>
      e.businessId
        ? (businesses.find((b) => b.id === e.businessId)?.name ?? shortId(e.businessId))
        : '—',
  };

  return (
    <>
      {seesAll && (
        <div className="filters">
          <CheckboxField
            label={`Show every business (not only ${businessName})`}
            checked={allBusinesses}
            onChange={setAllBusinesses}
          />
        </div>
      )}
      <QueryState
        query={{ ...audit, data: audit.data?.pages.flatMap((p) => p.items) }}
        loading="Loading the audit trail…"
        failed="Cannot load the audit trail."
        stale="Cannot load more."
      >
        {(items) => (
          <>
            <DataTable
              caption="Audit events"
              rows={items}
              rowKey={(e) => e.id}
              columns={[...COLUMNS, everyBusiness && businessColumn, DETAILS]}
              empty={
                <Empty title="No events yet">
                  Key changes, session events, tool calls and decisions are recorded here.
                </Empty>
              }
            />
            {items.length > 0 && (
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
            )}
          </>
        )}
      </QueryState>
    </>
  );
}
