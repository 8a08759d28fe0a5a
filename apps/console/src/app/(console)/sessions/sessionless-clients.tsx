'use client';
// Sessionless (2026-07-28) MCP clients, one row per credential: what their
// requests' `_meta` said, their last request, instance and open listen
// streams. Cutting one off revokes its credential (API key or OAuth grant).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/modal';
import { Empty, ErrorAlert, Loading } from '@/components/states';
import { errorMessage } from '@/lib/errors';
import { useTRPC, type RouterInputs, type RouterOutputs } from '@/lib/trpc';
import { ActivityCells, WhoCells } from './live-cells';

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
  const [cutting, setCutting] = useState<ClientRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const clients = useQuery(
    trpc.sessions.clients.queryOptions(filter, {
      refetchInterval: pollMs,
      refetchIntervalInBackground: false,
      placeholderData: (previous) => previous,
    }),
  );
  const cutOff = useMutation(
    trpc.sessions.cutOff.mutationOptions({
      onSuccess: async () => {
        setNotice(
          `${cutting?.principal.label ?? 'The client'} is cut off: its credential is revoked and its next request is refused.`,
        );
        setCutting(null);
        await queryClient.invalidateQueries({ queryKey: trpc.sessions.clients.queryKey() });
      },
    }),
  );
  const cuttable = (c: ClientRow) => c.authKind !== 'V2 token' && canCutOff(c.activeBusinessId);

  return (
    <section aria-labelledby="sessionless-heading">
      <h2 id="sessionless-heading">Sessionless clients (2026-07-28)</h2>
      {notice && (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      )}
      {clients.isPending ? (
        <Loading label="Loading clients…" />
      ) : clients.error && !clients.data ? (
        <ErrorAlert
          title="Cannot load sessionless clients."
          error={clients.error}
          onRetry={() => void clients.refetch()}
        />
      ) : clients.data.items.length === 0 ? (
        <Empty title="No sessionless clients">
          Clients of revision 2026-07-28 appear here, per credential, after their first request.
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Sessionless MCP clients</caption>
            <thead>
              <tr>
                <th scope="col">Principal</th>
                <th scope="col">Role</th>
                <th scope="col">Active business</th>
                <th scope="col">Client</th>
                <th scope="col">Protocol</th>
                <th scope="col">Last request</th>
                <th scope="col">Auth</th>
                <th scope="col">Instance</th>
                <th scope="col">Listen streams</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {clients.data.items.map((c) => (
                <tr key={c.credential} data-credential={c.credential}>
                  <WhoCells row={c} businessName={businessName} />
                  <ActivityCells row={c} />
                  <td data-label="Listen streams">{c.listenStreams}</td>
                  <td data-label="Actions" className="actions">
                    {cuttable(c) && (
                      <button
                        type="button"
                        className="button button-small button-danger-outline"
                        aria-label={`Cut off ${c.principal.label}`}
                        onClick={() => {
                          cutOff.reset();
                          setNotice(null);
                          setCutting(c);
                        }}
                      >
                        Cut off
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cutting && (
        <ConfirmDialog
          title="Cut this client off?"
          confirmLabel="Revoke credential"
          danger
          pending={cutOff.isPending}
          error={cutOff.error ? errorMessage(cutOff.error) : null}
          onClose={() => setCutting(null)}
          onConfirm={() => cutOff.mutate({ credential: cutting.credential })}
        >
          <p>
            The {cutting.authKind === 'OAuth' ? 'OAuth grant' : 'API key'} of{' '}
            <strong>{cutting.principal.label}</strong> ({cutting.client.name}) is revoked now. Every
            client and session using it is refused from its next request.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
