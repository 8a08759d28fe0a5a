'use client';
// Live MCP sessions, refreshed every few seconds: operators see all of them,
// merchants and tenant developers those active in their businesses. Active
// sessions (a request within ACTIVE_WINDOW_MS) are apart from idle ones that
// a client may still resume. Operators and merchants may end one; anyone who
// sees one may open its inspector. Sessionless (2026-07-28) clients are below.
import { CREDENTIAL_KIND_LABELS, CREDENTIAL_KINDS } from '@flowpos/core/schemas';
import { ACTIVE_WINDOW_MS } from '@flowpos/core/sessions/activity-state';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmAction, useConfirmedAction } from '@/components/confirm-action';
import { actionsColumn, DataTable, RowButton, type Column } from '@/components/data-table';
import { SelectField, type Choice } from '@/components/field';
import { Empty, PageHeader } from '@/components/states';
import { useToast } from '@/components/toasts';
import { useBusiness } from '@/lib/business';
import { useCapabilities } from '@/lib/capabilities';
import { formatDate, formatTime, ROLE_CHOICES, shortId } from '@/lib/format';
import { useTRPC, type RouterInputs, type RouterOutputs } from '@/lib/trpc';
import { activityColumns, InspectLink, whoColumns } from './live-cells';
import { LiveQueryState } from './live-query-state';
import { SessionlessClients } from './sessionless-clients';

type SessionRow = RouterOutputs['sessions']['list']['items'][number];
type Filter = Exclude<RouterInputs['sessions']['list'], void | undefined>;
type Role = NonNullable<Filter['role']>;
type AuthKind = NonNullable<Filter['authKind']>;

const POLL_MS = 3_000;
const ACTIVE_MINUTES = ACTIVE_WINDOW_MS / 60_000;
const AUTH_KINDS: Choice<AuthKind | ''>[] = [
  { value: '', label: 'All' },
  ...CREDENTIAL_KINDS.map((kind) => ({ value: kind, label: CREDENTIAL_KIND_LABELS[kind] })),
];

export default function SessionsPage() {
  const { businesses } = useBusiness();
  const { canIn, canAnywhere } = useCapabilities();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const canSee = canAnywhere('seeSessions');
  const seesAll = canAnywhere('seeAllSessions');
  const canEnd = (s: SessionRow) => canIn(s.activeBusinessId, 'endSessions');

  // "All businesses" only means something to someone with more than one.
  const offerAll = seesAll || businesses.length > 1;
  const [businessId, setBusinessId] = useState(offerAll ? '' : (businesses[0]?.id ?? ''));
  const [role, setRole] = useState<Role | ''>('');
  const [authKind, setAuthKind] = useState<AuthKind | ''>('');

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
  const end = useConfirmedAction(
    trpc.sessions.end.mutationOptions(),
    (session: SessionRow) => ({ sessionId: session.id }),
    async (_, session) => {
      notify(`Session ${shortId(session.id)} ended. The client's next request is refused.`);
      await queryClient.invalidateQueries({ queryKey: trpc.sessions.list.queryKey() });
    },
  );

  const businessName = (id: string) => businesses.find((b) => b.id === id)?.name ?? shortId(id);
  const columns: Column<SessionRow>[] = [
    {
      header: 'Session',
      cell: (s) => <code title={s.id}>{shortId(s.id)}</code>,
    },
    ...whoColumns<SessionRow>(businessName),
    {
      header: 'Opened',
      cell: (s) => (
        <>
          <span className="nowrap">{formatDate(s.createdAt)}</span>
          <span className="cell-sub">{formatTime(s.createdAt)}</span>
        </>
      ),
    },
    ...activityColumns<SessionRow>('Last activity'),
    actionsColumn<SessionRow>((s) => (
      <>
        <InspectLink kind="session" id={s.id} name={`Inspect session ${s.id}`} />
        {canEnd(s) && (
          <RowButton name={`End session ${s.id}`} tone="danger" onClick={() => end.ask(s)}>
            End session
          </RowButton>
        )}
      </>
    )),
  ];

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
        <SelectField
          id="filter-business"
          label="Business"
          value={businessId}
          onChange={setBusinessId}
          choices={[
            ...(offerAll ? [{ value: '', label: 'All businesses' }] : []),
            ...businesses.map((b) => ({ value: b.id, label: b.name })),
          ]}
        />
        <SelectField
          id="filter-role"
          label="Role"
          value={role}
          onChange={setRole}
          choices={[{ value: '', label: 'All roles' }, ...ROLE_CHOICES]}
        />
        <SelectField
          id="filter-auth"
          label="Auth kind"
          value={authKind}
          onChange={setAuthKind}
          choices={AUTH_KINDS}
        />
      </form>
      <LiveQueryState
        query={sessions}
        pollMs={POLL_MS}
        loading="Loading sessions…"
        failed="Cannot load sessions."
        stale="Refreshing failed; showing the last list."
        summary={(data) =>
          data.nextCursor
            ? `The ${data.items.length} most recently active live sessions shown (more are live: narrow with the filters)`
            : `${data.items.length} live session${data.items.length === 1 ? '' : 's'}`
        }
      >
        {(data) => (
          <>
            <section aria-labelledby="active-heading">
              <h2 id="active-heading">Active now</h2>
              <p className="small muted">
                A request in the last {ACTIVE_MINUTES} minutes (or the request that opened a
                stream).
              </p>
              <DataTable
                caption="Active MCP sessions"
                rows={data.items.filter((s) => s.activity === 'active')}
                rowKey={(s) => s.id}
                rowData={(s) => ({ 'data-session-id': s.id, 'data-activity': s.activity })}
                empty={
                  <Empty title="No active sessions">
                    {Object.keys(filter).length > 0
                      ? 'No active session matches these filters.'
                      : 'Sessions appear here as soon as an MCP client connects.'}
                  </Empty>
                }
                columns={columns}
              />
            </section>
            <section aria-labelledby="idle-heading">
              <h2 id="idle-heading">Idle, resumable</h2>
              <p className="small muted">
                No request for {ACTIVE_MINUTES} minutes or more. The client can go on where it left
                off until the session&apos;s idle timeout ends it.
              </p>
              <DataTable
                caption="Idle MCP sessions"
                rows={data.items.filter((s) => s.activity === 'idle')}
                rowKey={(s) => s.id}
                rowData={(s) => ({ 'data-session-id': s.id, 'data-activity': s.activity })}
                empty={<Empty title="No idle sessions" />}
                columns={columns}
              />
            </section>
          </>
        )}
      </LiveQueryState>
      <SessionlessClients
        filter={filter}
        pollMs={POLL_MS}
        businessName={businessName}
        canCutOff={(businessId) => canIn(businessId, 'endSessions')}
        sessionsOf={(credential) =>
          sessions.data?.items.filter((s) => s.principal.credentialId === credential).length ?? 0
        }
      />
      <ConfirmAction action={end} title="End this session?" confirmLabel="End session" danger>
        {(session) => (
          <p>
            Session <code>{shortId(session.id)}</code> of <strong>{session.principal.label}</strong>{' '}
            ({session.client.name}) ends now. The client&apos;s next request is refused and it has
            to connect again.
          </p>
        )}
      </ConfirmAction>
    </>
  );
}
