'use client';
// Live MCP sessions, refreshed every few seconds: operators see all of them,
// merchants and tenant developers those active in their businesses. Operators
// and merchants may end one. Sessionless (2026-07-28) clients are listed below.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/modal';
import { Empty, ErrorAlert, Loading, PageHeader } from '@/components/states';
import { useBusiness } from '@/lib/business';
import { useCapabilities } from '@/lib/capabilities';
import { errorMessage } from '@/lib/errors';
import { formatDate, formatDateTime, formatTime, roleLabel, shortId } from '@/lib/format';
import { useTRPC, type RouterInputs, type RouterOutputs } from '@/lib/trpc';
import { ActivityCells, WhoCells } from './live-cells';
import { SessionlessClients } from './sessionless-clients';

type SessionRow = RouterOutputs['sessions']['list']['items'][number];
type Filter = Exclude<RouterInputs['sessions']['list'], void | undefined>;
type Role = NonNullable<Filter['role']>;
type AuthKind = NonNullable<Filter['authKind']>;

const POLL_MS = 3_000;

export default function SessionsPage() {
  const { businesses } = useBusiness();
  const { canIn, canAnywhere } = useCapabilities();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canSee = canAnywhere('seeSessions');
  const seesAll = canAnywhere('seeAllSessions');
  const canEnd = (s: SessionRow) => canIn(s.activeBusinessId, 'endSessions');

  // "All businesses" only means something to someone with more than one.
  const offerAll = seesAll || businesses.length > 1;
  const [businessId, setBusinessId] = useState(offerAll ? '' : (businesses[0]?.id ?? ''));
  const [role, setRole] = useState<Role | ''>('');
  const [authKind, setAuthKind] = useState<AuthKind | ''>('');
  const [ending, setEnding] = useState<SessionRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const filter: Filter = {
    ...(businessId ? { businessId } : {}),
    ...(role ? { role } : {}),
    ...(authKind ? { authKind } : {}),
  };
  const sessions = useQuery(
    trpc.sessions.list.queryOptions(filter, {
      enabled: canSee,
      refetchInterval: POLL_MS,
      refetchIntervalInBackground: false,
      placeholderData: (previous) => previous,
    }),
  );
  const end = useMutation(
    trpc.sessions.end.mutationOptions({
      onSuccess: async () => {
        setNotice(
          `Session ${ending ? shortId(ending.id) : ''} ended. The client's next request is refused.`,
        );
        setEnding(null);
        await queryClient.invalidateQueries({ queryKey: trpc.sessions.list.queryKey() });
      },
    }),
  );

  const businessName = (id: string) => businesses.find((b) => b.id === id)?.name ?? shortId(id);

  if (!canSee) {
    return (
      <>
        <PageHeader title="Sessions" />
        <Empty title="No business">
          Live MCP sessions are shown to members of a business and to platform operators.
        </Empty>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Sessions"
        description={
          seesAll
            ? 'Every live MCP session on the platform, across businesses and instances.'
            : 'Live MCP sessions working on your businesses.'
        }
      />
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Session filters">
        <div className="field">
          <label htmlFor="filter-business">Business</label>
          <select
            id="filter-business"
            value={businessId}
            onChange={(e) => setBusinessId(e.target.value)}
          >
            {offerAll && <option value="">All businesses</option>}
            {businesses.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-role">Role</label>
          <select
            id="filter-role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role | '')}
          >
            <option value="">All roles</option>
            <option value="merchant">{roleLabel('merchant')}</option>
            <option value="tenant_developer">{roleLabel('tenant_developer')}</option>
            <option value="platform_operator">{roleLabel('platform_operator')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-auth">Auth kind</label>
          <select
            id="filter-auth"
            value={authKind}
            onChange={(e) => setAuthKind(e.target.value as AuthKind | '')}
          >
            <option value="">All</option>
            <option value="api_key">V1 key</option>
            <option value="token">V2 token</option>
            <option value="oauth">OAuth</option>
          </select>
        </div>
      </form>
      {notice && (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      )}
      {sessions.isPending ? (
        <Loading label="Loading sessions…" />
      ) : sessions.error && !sessions.data ? (
        <ErrorAlert
          title="Cannot load sessions."
          error={sessions.error}
          onRetry={() => void sessions.refetch()}
        />
      ) : (
        <>
          {sessions.error && (
            <ErrorAlert title="Refreshing failed; showing the last list." error={sessions.error} />
          )}
          <div className="toolbar">
            <span>
              <span className="live-dot" aria-hidden="true" />
              {sessions.data.nextCursor
                ? `The ${sessions.data.items.length} most recently active live sessions shown (more are live: narrow with the filters)`
                : `${sessions.data.items.length} live session${sessions.data.items.length === 1 ? '' : 's'}`}{' '}
              · refreshed every {POLL_MS / 1000} s
            </span>
            <span className="small">Updated {formatDateTime(sessions.dataUpdatedAt)}</span>
          </div>
          {sessions.data.items.length === 0 ? (
            <Empty title="No live sessions">
              {Object.keys(filter).length > 0
                ? 'No session matches these filters.'
                : 'Sessions appear here as soon as an MCP client connects.'}
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">Live MCP sessions</caption>
                <thead>
                  <tr>
                    <th scope="col">Session</th>
                    <th scope="col">Principal</th>
                    <th scope="col">Role</th>
                    <th scope="col">Active business</th>
                    <th scope="col">Client</th>
                    <th scope="col">Protocol</th>
                    <th scope="col">Opened</th>
                    <th scope="col">Last activity</th>
                    <th scope="col">Auth</th>
                    <th scope="col">Instance</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {sessions.data.items.map((s) => (
                    <tr key={s.id} data-session-id={s.id}>
                      <td data-label="Session">
                        <code title={s.id}>{shortId(s.id)}</code>
                      </td>
                      <WhoCells row={s} businessName={businessName} />
                      <td data-label="Opened">
                        <span className="nowrap">{formatDate(s.createdAt)}</span>
                        <span className="cell-sub">{formatTime(s.createdAt)}</span>
                      </td>
                      <ActivityCells row={s} />
                      <td data-label="Actions" className="actions">
                        {canEnd(s) && (
                          <button
                            type="button"
                            className="button button-small button-danger-outline"
                            aria-label={`End session ${s.id}`}
                            onClick={() => {
                              end.reset();
                              setNotice(null);
                              setEnding(s);
                            }}
                          >
                            End session
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <SessionlessClients
        filter={filter}
        pollMs={POLL_MS}
        businessName={businessName}
        canCutOff={(businessId) => canIn(businessId, 'endSessions')}
      />
      {ending && (
        <ConfirmDialog
          title="End this session?"
          confirmLabel="End session"
          danger
          pending={end.isPending}
          error={end.error ? errorMessage(end.error) : null}
          onClose={() => setEnding(null)}
          onConfirm={() => end.mutate({ sessionId: ending.id })}
        >
          <p>
            Session <code>{shortId(ending.id)}</code> of <strong>{ending.principal.label}</strong> (
            {ending.client.name}) ends now. The client&apos;s next request is refused and it has to
            connect again.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
