'use client';
// The audit trail, newest first, one page at a time ("Load more"), narrowed by
// filters kept in the URL and downloadable as a file. Times are shown in one
// stated zone. Merchants see their business; operators may also see every business.
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Suspense } from 'react';
import { MerchantOnly } from '@/components/app-shell';
import { DataTable, type Column } from '@/components/data-table';
import { CheckboxField } from '@/components/field';
import { Empty, Loading, PageHeader, QueryState, StatusBadge } from '@/components/states';
import { useBusiness } from '@/lib/business';
import { useCapabilities } from '@/lib/capabilities';
import { shortId } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { useUrlState } from '@/lib/url-state';
import { AuditFilterForm, ExportButtons, FILTER_KEYS, type Filters } from './audit-filters';
import { formatInZone } from './zoned-time';

type AuditRow = RouterOutputs['audit']['list']['items'][number];

const PAGE_SIZE = 25;
const URL_KEYS = [...FILTER_KEYS, 'all'] as const;

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
        <Suspense fallback={<Loading label="Loading the audit trail…" />}>
          <AuditView key={business.id} businessId={business.id} businessName={business.name} />
        </Suspense>
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

const columns = (timeZone: string, actorHref: (actorId: string) => string): Column<AuditRow>[] => [
  { header: 'Time', className: 'nowrap', cell: (e) => formatInZone(e.createdAt, timeZone) },
  { header: 'Action', cell: (e) => <code>{e.action}</code> },
  { header: 'Outcome', cell: (e) => <StatusBadge status={e.outcome} /> },
  {
    header: 'Actor',
    title: (e) => e.actorId,
    cell: (e) => (
      <>
        {e.actorId ? (
          <Link href={actorHref(e.actorId)} title={`Only events by ${e.actor?.label ?? e.actorId}`}>
            {e.actor?.label ?? e.actorKind}
          </Link>
        ) : (
          (e.actor?.label ?? e.actorKind)
        )}
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
  const [url, setUrl] = useUrlState(URL_KEYS);
  const allBusinesses = url.all === '1';
  const setAllBusinesses = (all: boolean) => setUrl({ all: all ? '1' : '' });
  const scope: Record<string, string> = seesAll && allBusinesses ? {} : { businessId };
  // Only the filters that are set: an empty field means "any".
  const filters = Object.fromEntries(FILTER_KEYS.flatMap((k) => (url[k] ? [[k, url[k]]] : [])));
  const query = { ...scope, ...filters };
  const applied: Filters = {
    action: url.action,
    actor: url.actor,
    outcome: url.outcome,
    from: url.from,
    to: url.to,
  };
  const actorHref = (actorId: string) => {
    const next = new URLSearchParams({
      ...filters,
      ...(allBusinesses ? { all: '1' } : {}),
      actor: actorId,
    });
    return `/audit?${next.toString()}`;
  };
  const audit = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { ...query, limit: PAGE_SIZE },
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

  const timeZone = audit.data?.pages[0]?.timeZone;
  const filtered = Object.keys(filters).length > 0;

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
      <AuditFilterForm
        key={JSON.stringify(applied)}
        applied={applied}
        onApply={(next) => setUrl(next)}
      />
      <p className="muted small" data-testid="audit-time-zone">
        {timeZone
          ? everyBusinessZone(timeZone, seesAll && allBusinesses)
          : 'Times are shown in the business’s time zone.'}
      </p>
      <ExportButtons query={query} />
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
              columns={[
                ...columns(timeZone ?? 'UTC', actorHref),
                everyBusiness && businessColumn,
                DETAILS,
              ]}
              empty={
                filtered ? (
                  <Empty title="No events match these filters">
                    Widen the date range or clear a filter.
                  </Empty>
                ) : (
                  <Empty title="No events yet">
                    Key changes, session events, tool calls and decisions are recorded here.
                  </Empty>
                )
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

function everyBusinessZone(timeZone: string, everyBusiness: boolean): string {
  return everyBusiness
    ? `Times and dates are in ${timeZone} (across businesses).`
    : `Times and dates are in ${timeZone}, the business’s time zone.`;
}
