'use client';
// Sessionless (2026-07-28) MCP clients, one row per credential: what their
// requests' `_meta` said, their last request, instance and open listen
// streams, active or idle. Each opens in the inspector. Cutting one off
// revokes its credential (API key or OAuth grant): the confirmation says
// plainly what else that ends.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfirmAction, useConfirmedAction } from '@/components/confirm-action';
import { actionsColumn, DataTable, RowButton } from '@/components/data-table';
import { Empty, QueryState } from '@/components/states';
import { useToast } from '@/components/toasts';
import { useTRPC, type RouterInputs, type RouterOutputs } from '@/lib/trpc';
import { activityColumns, InspectLink, whoColumns } from './live-cells';

type ClientRow = RouterOutputs['sessions']['clients']['items'][number];
type Filter = Exclude<RouterInputs['sessions']['clients'], void | undefined>;

export function SessionlessClients(props: {
  filter: Filter;
  pollMs: number;
  businessName: (id: string) => string;
  canCutOff: (activeBusinessId: string) => boolean;
  /** Live 2025 sessions listed on this page that the same credential opened. */
  sessionsOf: (credential: string) => number;
}) {
  const { filter, pollMs, businessName, canCutOff, sessionsOf } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const clients = useQuery(
    trpc.sessions.clients.queryOptions(filter, {
      refetchInterval: pollMs,
      refetchIntervalInBackground: false,
      placeholderData: (previous) => previous,
    }),
  );
  const cutOff = useConfirmedAction(
    trpc.sessions.cutOff.mutationOptions(),
    (c: ClientRow) => ({ credential: c.credential }),
    async (_, c) => {
      notify(
        `${c.principal.label} is cut off: its credential is revoked and its next request is refused.`,
      );
      await queryClient.invalidateQueries({ queryKey: trpc.sessions.clients.queryKey() });
    },
  );
  const cuttable = (c: ClientRow) => c.principal.kind !== 'token' && canCutOff(c.activeBusinessId);

  return (
    <section aria-labelledby="sessionless-heading">
      <h2 id="sessionless-heading">Sessionless clients (2026-07-28)</h2>
      <QueryState
        query={clients}
        loading="Loading clients…"
        failed="Cannot load sessionless clients."
        stale="Refreshing failed; showing the last list."
      >
        {({ items }) => (
          <DataTable
            caption="Sessionless MCP clients"
            rows={items}
            rowKey={(c) => c.credential}
            rowData={(c) => ({ 'data-credential': c.credential })}
            empty={
              <Empty title="No sessionless clients">
                Clients of revision 2026-07-28 appear here, per credential, after their first
                request.
              </Empty>
            }
            columns={[
              ...whoColumns<ClientRow>(businessName),
              ...activityColumns<ClientRow>('Last request'),
              { header: 'Listen streams', cell: (c) => c.listenStreams },
              {
                header: 'State',
                cell: (c) => (c.activity === 'active' ? 'Active' : 'Idle'),
              },
              actionsColumn<ClientRow>((c) => (
                <>
                  <InspectLink
                    kind="client"
                    id={c.credential}
                    name={`Inspect ${c.principal.label}`}
                  />
                  {cuttable(c) && (
                    <RowButton
                      name={`Cut off ${c.principal.label}`}
                      tone="danger"
                      onClick={() => cutOff.ask(c)}
                    >
                      Cut off
                    </RowButton>
                  )}
                </>
              )),
            ]}
          />
        )}
      </QueryState>
      <ConfirmAction
        action={cutOff}
        title="Cut this client off?"
        confirmLabel="Revoke credential"
        danger
      >
        {(c) => <CutOffConsequences client={c} sessions={sessionsOf(c.credential)} />}
      </ConfirmAction>
    </section>
  );
}

/** What cutting a client off ends, said before it is done: its credential, not only this client. */
function CutOffConsequences({ client: c, sessions }: { client: ClientRow; sessions: number }) {
  const isKey = c.principal.kind !== 'oauth';
  const streams = c.listenStreams;
  return (
    <>
      <p>
        This revokes the {isKey ? 'API key' : 'OAuth grant'} <strong>{c.principal.label}</strong>
        {c.principal.keyPrefix && <> ({c.principal.keyPrefix})</>} itself, now, on every instance,
        not just this client ({c.client.name}).
      </p>
      <p>It also ends:</p>
      <ul>
        <li>
          {streams === 0
            ? 'its open listen streams (none right now);'
            : `its ${streams} open listen stream${streams === 1 ? '' : 's'};`}
        </li>
        <li>
          {sessions === 0
            ? 'every 2025 session opened with it (none listed here);'
            : `the ${sessions} 2025 session${sessions === 1 ? '' : 's'} opened with it listed above;`}
        </li>
        <li>
          {isKey
            ? 'every other program or person using the same key: their next request is refused.'
            : "the app's access and refresh tokens for this business: it must be connected again (consent) to come back."}
        </li>
      </ul>
      {isKey && (
        <p>
          A revoked key cannot be restored: create a new key for the clients that should keep
          working.
        </p>
      )}
    </>
  );
}
