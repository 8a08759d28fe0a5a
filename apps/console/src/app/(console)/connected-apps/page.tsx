'use client';
// Connected apps: the connectors (claude.ai, ChatGPT, VS Code…) people allowed
// to use FlowPOS through OAuth. Everyone sees and revokes their own; merchants
// their businesses'; operators all. Revoking ends the app's sessions at once.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/modal';
import { Empty, ErrorAlert, Loading, PageHeader } from '@/components/states';
import { useCapabilities } from '@/lib/capabilities';
import { errorMessage } from '@/lib/errors';
import { formatDate, formatDateTime, formatRelative } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';

type AppRow = RouterOutputs['oauth']['connectedApps'][number];

export default function ConnectedAppsPage() {
  const seesAll = useCapabilities().canAnywhere('viewAllConnectedApps');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = useState<AppRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const apps = useQuery(trpc.oauth.connectedApps.queryOptions());
  const revoke = useMutation(
    trpc.oauth.revoke.mutationOptions({
      onSuccess: async () => {
        setNotice(
          `${revoking?.clientName ?? 'The app'} was disconnected. Its tokens and sessions no longer work.`,
        );
        setRevoking(null);
        await queryClient.invalidateQueries({ queryKey: trpc.oauth.connectedApps.queryKey() });
      },
    }),
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
      {notice && (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      )}
      {apps.isPending ? (
        <Loading label="Loading connected apps…" />
      ) : apps.error ? (
        <ErrorAlert
          title="Cannot load connected apps."
          error={apps.error}
          onRetry={() => void apps.refetch()}
        />
      ) : apps.data.length === 0 ? (
        <Empty title="No connected apps">
          Apps appear here once someone connects Claude, ChatGPT, VS Code or another MCP client with
          the MCP URL alone and allows it.
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Connected apps</caption>
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col">Person</th>
                <th scope="col">Business</th>
                <th scope="col">Scopes</th>
                <th scope="col">Connected</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {apps.data.map((a) => (
                <tr key={a.id} data-grant-id={a.id}>
                  <td data-label="App">
                    {a.clientName}
                    <span className="cell-sub mono" title={a.clientId}>
                      {a.clientId.startsWith('https://')
                        ? new URL(a.clientId).host
                        : 'registered client'}
                    </span>
                  </td>
                  <td data-label="Person">{a.userEmail}</td>
                  <td data-label="Business">{a.businessName}</td>
                  <td data-label="Scopes">
                    {a.scopes.map((s) => (
                      <code key={s} className="scope-chip">
                        {s}
                      </code>
                    ))}
                  </td>
                  <td data-label="Connected" className="nowrap">
                    {formatDate(a.createdAt)}
                  </td>
                  <td
                    data-label="Last used"
                    className="nowrap"
                    title={formatDateTime(a.lastUsedAt)}
                  >
                    {a.lastUsedAt ? formatRelative(a.lastUsedAt) : 'Never'}
                  </td>
                  <td data-label="Actions" className="actions">
                    <button
                      type="button"
                      className="button button-small button-danger-outline"
                      aria-label={`Revoke ${a.clientName} for ${a.userEmail}`}
                      onClick={() => {
                        revoke.reset();
                        setNotice(null);
                        setRevoking(a);
                      }}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking && (
        <ConfirmDialog
          title="Disconnect this app?"
          confirmLabel="Revoke"
          danger
          pending={revoke.isPending}
          error={revoke.error ? errorMessage(revoke.error) : null}
          onClose={() => setRevoking(null)}
          onConfirm={() => revoke.mutate({ grantId: revoking.id })}
        >
          <p>
            <strong>{revoking.clientName}</strong> stops acting for {revoking.userEmail} at{' '}
            {revoking.businessName} now: its tokens are refused and its sessions end. To use it
            again, they connect it again.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
