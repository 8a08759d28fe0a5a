'use client';
// The session inspector: one 2025 session's or sessionless client's last
// requests (`?session=<id>` or `?client=<credential>`), newest first, polled
// every second while the page is open. Argument values show only where the
// tool marks them safe; the backend decides who may see which log.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { DataTable } from '@/components/data-table';
import { Empty, Loading, PageHeader } from '@/components/states';
import { shortId } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { LiveQueryState } from '../live-query-state';
import { requestColumns } from './request-columns';

/** The inspector's refresh: a call made now shows within about a second. */
const POLL_MS = 1_000;

export default function InspectorPage() {
  return (
    <Suspense fallback={<Loading label="Loading the inspector…" />}>
      <Inspector />
    </Suspense>
  );
}

function Inspector() {
  const params = useSearchParams();
  const sessionId = params.get('session');
  const credential = params.get('client');
  const trpc = useTRPC();
  const input = sessionId ? { sessionId } : { credential: credential ?? '' };
  const requests = useQuery(
    trpc.sessions.requests.queryOptions(input, {
      enabled: Boolean(sessionId || credential),
      refetchInterval: POLL_MS,
      refetchIntervalInBackground: false,
      placeholderData: (previous) => previous,
    }),
  );
  const what = sessionId ? `session ${shortId(sessionId)}` : 'sessionless client';
  const back = (
    <Link href="/sessions" className="small">
      Back to sessions
    </Link>
  );
  if (!sessionId && !credential) {
    return (
      <>
        <PageHeader title="Inspector" description={back} />
        <Empty title="Nothing to inspect">Open a session or a client from the sessions page.</Empty>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={`Inspector: ${what}`}
        description={
          <>
            {requests.data ? <strong>{requests.data.label}</strong> : null}
            {credential && (
              <>
                {' '}
                <code className="small">{credential}</code>
              </>
            )}{' '}
            · {back}
          </>
        }
      />
      <LiveQueryState
        query={requests}
        pollMs={POLL_MS}
        loading="Loading requests…"
        failed="Cannot load this log."
        stale="Refreshing failed; showing the last requests."
        summary={(data) => (
          <>
            {data.items.length} request{data.items.length === 1 ? '' : 's'} (the last {data.cap} are
            kept)
          </>
        )}
      >
        {(data) => (
          <>
            <DataTable
              caption="Recent MCP requests"
              rows={data.items}
              rowKey={(r) => `${r.at}-${r.method}-${r.tool ?? ''}-${r.durationMs}-${r.instanceId}`}
              rowData={(r) => ({ 'data-method': r.method, 'data-outcome': r.outcome })}
              empty={
                <Empty title={data.enabled ? 'No requests yet' : 'The inspector is off'}>
                  {data.enabled
                    ? 'Requests show here within a second of being served.'
                    : 'This deployment runs with INSPECTOR_ENABLED=false: no request is recorded.'}
                </Empty>
              }
              columns={requestColumns()}
            />
            <p className="small muted">
              Argument values are shown only for fields a tool marks safe to show; other arguments
              show by name.
            </p>
          </>
        )}
      </LiveQueryState>
    </>
  );
}
