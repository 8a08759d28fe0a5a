'use client';
// Connected apps: the connectors (claude.ai, ChatGPT, VS Code…) people allowed
// to use FlowPOS through OAuth. Everyone sees and revokes their own; merchants
// their businesses'; operators all. Revoking ends the app's sessions at once.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfirmAction, useConfirmedAction } from '@/components/confirm-action';
import { actionsColumn, DataTable, RowButton, type Column } from '@/components/data-table';
import { ConnectSnippets } from '@/components/connect-snippets';
import { ScopeChips } from '@/components/scopes';
import { Empty, PageHeader, QueryState } from '@/components/states';
import { useToast } from '@/components/toasts';
import { useCapabilities } from '@/lib/capabilities';
import { formatDate, formatDateTime, formatRelative } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';

type AppRow = RouterOutputs['oauth']['connectedApps'][number];

const COLUMNS: Column<AppRow>[] = [
  {
    header: 'App',
    cell: (a) => (
      <>
        {a.clientName}
        <span className="cell-sub mono" title={a.clientId}>
          {a.clientId.startsWith('https://') ? new URL(a.clientId).host : 'registered client'}
        </span>
      </>
    ),
  },
  { header: 'Person', cell: (a) => a.userEmail },
  { header: 'Business', cell: (a) => a.businessName },
  { header: 'Scopes', cell: (a) => <ScopeChips scopes={a.scopes} /> },
  { header: 'Connected', className: 'nowrap', cell: (a) => formatDate(a.createdAt) },
  {
    header: 'Last used',
    className: 'nowrap',
    title: (a) => formatDateTime(a.lastUsedAt),
    cell: (a) => (a.lastUsedAt ? formatRelative(a.lastUsedAt) : 'Never'),
  },
];

export default function ConnectedAppsPage() {
  const seesAll = useCapabilities().canAnywhere('viewAllConnectedApps');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const apps = useQuery(trpc.oauth.connectedApps.queryOptions());
  const revoke = useConfirmedAction(
    trpc.oauth.revoke.mutationOptions(),
    (a: AppRow) => ({ grantId: a.id }),
    async (_, a) => {
      notify(`${a.clientName} was disconnected. Its tokens and sessions no longer work.`);
      await queryClient.invalidateQueries({ queryKey: trpc.oauth.connectedApps.queryKey() });
    },
  );

  return (
    <>
      <PageHeader
        title="Connected apps"
        description={
          seesAll
            ? 'Every app people connected to FlowPOS with OAuth, across businesses.'
            : 'Apps connected with OAuth: yours, and for businesses you manage, your members’.'
        }
      />
      <QueryState
        query={apps}
        loading="Loading connected apps…"
        failed="Cannot load connected apps."
      >
        {(rows) => (
          <DataTable
            caption="Connected apps"
            rows={rows}
            rowKey={(a) => a.id}
            rowData={(a) => ({ 'data-grant-id': a.id })}
            empty={
              <Empty title="No connected apps">
                Apps appear here once someone connects Claude, ChatGPT, VS Code or another MCP
                client with the MCP URL alone and allows it.
                <ConnectSnippets />
              </Empty>
            }
            columns={[
              ...COLUMNS,
              actionsColumn<AppRow>((a) => (
                <RowButton
                  name={`Revoke ${a.clientName} for ${a.userEmail}`}
                  tone="danger"
                  onClick={() => revoke.ask(a)}
                >
                  Revoke
                </RowButton>
              )),
            ]}
          />
        )}
      </QueryState>
      <ConfirmAction action={revoke} title="Disconnect this app?" confirmLabel="Revoke" danger>
        {(a) => (
          <p>
            <strong>{a.clientName}</strong> stops acting for {a.userEmail} at {a.businessName} now:
            its tokens are refused and its sessions end. To use it again, they connect it again.
          </p>
        )}
      </ConfirmAction>
    </>
  );
}
