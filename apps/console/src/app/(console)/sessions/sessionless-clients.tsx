'use client';
// Sessionless (2026-07-28) MCP clients, one row per credential: what their
// requests' `_meta` said, their last request, instance and open listen
// streams. Cutting one off revokes its credential (API key or OAuth grant).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfirmAction, useConfirmedAction } from '@/components/confirm-action';
import { actionsColumn, DataTable, RowButton } from '@/components/data-table';
import { Empty, QueryState } from '@/components/states';
import { useToast } from '@/components/toasts';
import { useTRPC, type RouterInputs, type RouterOutputs } from '@/lib/trpc';
import { activityColumns, whoColumns } from './live-cells';

type ClientRow = RouterOutputs['sessions']['clients']['items'][number];
type Filter = Exclude<RouterInputs['sessions']['clients'], void | undefined>;

export function SessionlessClients(props: {
  filter: Filter;
  pollMs: number;
  businessName: (id: string) => string;
  canCutOff: (activeBusinessId: string) => boolean;
}) {
  const { filter, pollMs, businessName, canCutOff } = props;
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
  const cuttable = (c: ClientRow) => c.authKind !== 'V2 token' && canCutOff(c.activeBusinessId);

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
              actionsColumn<ClientRow>((c) =>
                cuttable(c) ? (
                  <RowButton
                    name={`Cut off ${c.principal.label}`}
                    tone="danger"
                    onClick={() => cutOff.ask(c)}
                  >
                    Cut off
                  </RowButton>
                ) : null,
              ),
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
        {(c) => (
          <p>
            The {c.authKind === 'OAuth' ? 'OAuth grant' : 'API key'} of{' '}
            <strong>{c.principal.label}</strong> ({c.client.name}) is revoked now. Every client and
            session using it is refused from its next request.
          </p>
        )}
      </ConfirmAction>
    </section>
  );
}
