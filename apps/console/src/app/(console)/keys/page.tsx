'use client';
// API keys of the selected business: list, create (secret shown once),
// roll (a new secret; the old one works for a chosen overlap), revoke,
// change scopes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/modal';
import {
  CreateKeyDialog,
  EditScopesDialog,
  SecretDialog,
  type CreatedKey,
} from '@/components/key-dialogs';
import { Empty, ErrorAlert, Loading, PageHeader, StatusBadge } from '@/components/states';
import { useBusiness } from '@/lib/business';
import { errorMessage } from '@/lib/errors';
import { formatDate, formatDateTime, formatRelative, roleLabel } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';

type KeyRow = RouterOutputs['keys']['list'][number];
type Overlap = 'none' | '1h' | '1d' | '7d';

const OVERLAPS: { value: Overlap; label: string }[] = [
  { value: 'none', label: 'No overlap: stop it now' },
  { value: '1h', label: '1 hour' },
  { value: '1d', label: '1 day' },
  { value: '7d', label: '7 days' },
];

export default function KeysPage() {
  const { business } = useBusiness();
  if (!business) return null;
  return <KeysView key={business.id} businessId={business.id} businessName={business.name} />;
}

function KeysView({ businessId, businessName }: { businessId: string; businessName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.keys.list.queryOptions({ businessId }));
  const grant = useQuery(trpc.keys.grantOptions.queryOptions({ businessId }));
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<KeyRow | null>(null);
  const [editing, setEditing] = useState<KeyRow | null>(null);
  const [rolling, setRolling] = useState<KeyRow | null>(null);
  const [overlap, setOverlap] = useState<Overlap>('1d');
  const [notice, setNotice] = useState<string | null>(null);

  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey({ businessId }) });

  const revoke = useMutation(
    trpc.keys.revoke.mutationOptions({
      onSuccess: async (key) => {
        setRevoking(null);
        setNotice(`Key “${key.name}” was revoked. Clients using it are refused from now on.`);
        await invalidate();
      },
    }),
  );

  const roll = useMutation(
    trpc.keys.rotate.mutationOptions({
      onSuccess: async ({ key, replaced }) => {
        setRolling(null);
        setCreated(key);
        setNotice(
          replaced.status === 'revoked'
            ? `Key “${replaced.name}” was rolled: the old secret stopped working.`
            : replaced.status === 'expired'
              ? `Key “${replaced.name}” was rolled: a new key replaces the expired one.`
              : `Key “${replaced.name}” was rolled: the old secret works until ${formatDateTime(replaced.expiresAt)}.`,
        );
        await invalidate();
      },
    }),
  );

  const manageable = new Set<string>(grant.data?.roles ?? []);

  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            V1 API keys for MCP clients of <strong>{businessName}</strong>. A key acts for this
            business only, with the role and scopes chosen here.
          </>
        }
        actions={
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setNotice(null);
              setCreating(true);
            }}
            disabled={!grant.data}
          >
            Create key
          </button>
        }
      />
      {notice && (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      )}
      {grant.error && (
        <ErrorAlert
          title="Cannot load the key options."
          error={grant.error}
          onRetry={() => void grant.refetch()}
        />
      )}
      {keys.isPending ? (
        <Loading label="Loading keys…" />
      ) : keys.error ? (
        <ErrorAlert
          title="Cannot load the keys."
          error={keys.error}
          onRetry={() => void keys.refetch()}
        />
      ) : keys.data.length === 0 ? (
        <Empty title="No API keys yet">
          Create a key to connect an MCP client (Claude, Cursor, the MCP Inspector) to{' '}
          {businessName}.
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">API keys of {businessName}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Role</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => {
                const canManage = manageable.has(key.role) && key.can.revoke;
                return (
                  <tr key={key.id}>
                    <td data-label="Name">
                      <strong>{key.name}</strong>
                    </td>
                    <td data-label="Key">
                      <code className="nowrap">{key.prefix}…</code>
                    </td>
                    <td data-label="Role">{roleLabel(key.role)}</td>
                    <td data-label="Scopes">
                      <span className="scope-list">
                        {key.scopes.map((s) => (
                          <span key={s} className="scope">
                            {s}
                          </span>
                        ))}
                      </span>
                    </td>
                    <td data-label="Created">
                      <span className="nowrap">{formatDateTime(key.createdAt)}</span>
                      <span className="cell-sub">by {key.createdBy ?? 'unknown'}</span>
                    </td>
                    <td data-label="Expires">
                      {key.expiresAt ? formatDate(key.expiresAt) : 'Never'}
                    </td>
                    <td data-label="Last used" title={formatDateTime(key.lastUsedAt, 'Never used')}>
                      {formatRelative(key.lastUsedAt, Date.now(), 'Never')}
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={key.status} />
                    </td>
                    <td data-label="Actions" className="actions">
                      {canManage ? (
                        <span className="button-row">
                          {key.can.changeScopes && (
                            <button
                              type="button"
                              className="button button-small"
                              aria-label={`Edit scopes of ${key.name}`}
                              onClick={() => setEditing(key)}
                            >
                              Edit scopes
                            </button>
                          )}
                          {/* An expired key cannot change: it is rolled into a new one. */}
                          {key.can.roll && (
                            <button
                              type="button"
                              className="button button-small"
                              aria-label={`Roll ${key.name}`}
                              onClick={() => {
                                roll.reset();
                                setOverlap('1d');
                                setRolling(key);
                              }}
                            >
                              Roll
                            </button>
                          )}
                          <button
                            type="button"
                            className="button button-small button-danger-outline"
                            aria-label={`Revoke ${key.name}`}
                            onClick={() => {
                              revoke.reset();
                              setRevoking(key);
                            }}
                          >
                            Revoke
                          </button>
                        </span>
                      ) : (
                        <span className="muted small">—</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {creating && grant.data && (
        <CreateKeyDialog
          businessId={businessId}
          businessName={businessName}
          options={grant.data}
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            void invalidate();
          }}
        />
      )}
      {created && <SecretDialog created={created} onClose={() => setCreated(null)} />}
      {editing && grant.data && (
        <EditScopesDialog
          apiKey={editing}
          options={grant.data}
          onClose={() => setEditing(null)}
          onSaved={(key) => {
            setEditing(null);
            setNotice(`Scopes of “${key.name}” updated. Its live sessions got the new tool list.`);
            void invalidate();
          }}
        />
      )}
      {rolling && (
        <ConfirmDialog
          title="Roll this key?"
          confirmLabel="Roll key"
          pending={roll.isPending}
          error={roll.error ? errorMessage(roll.error) : null}
          onClose={() => setRolling(null)}
          onConfirm={() => roll.mutate({ keyId: rolling.id, overlap })}
        >
          {rolling.status === 'expired' ? (
            <p>
              <strong>{rolling.name}</strong> (<code>{rolling.prefix}…</code>) has expired. A new
              key with the same name, role and scopes, and the same lifetime from now, replaces it;
              its secret is shown once.
            </p>
          ) : (
            <p>
              <strong>{rolling.name}</strong> (<code>{rolling.prefix}…</code>) gets a new secret,
              shown once. Keep the old one working while clients move over:
            </p>
          )}
          {rolling.status !== 'expired' && (
            <label className="field">
              <span>Old secret keeps working for</span>
              <select value={overlap} onChange={(e) => setOverlap(e.target.value as Overlap)}>
                {OVERLAPS.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          {overlap === 'none' && rolling.status !== 'expired' && (
            <p className="muted">The old secret and its open MCP sessions stop at once.</p>
          )}
        </ConfirmDialog>
      )}
      {revoking && (
        <ConfirmDialog
          title="Revoke this key?"
          confirmLabel="Revoke key"
          danger
          pending={revoke.isPending}
          error={revoke.error ? errorMessage(revoke.error) : null}
          onClose={() => setRevoking(null)}
          onConfirm={() => revoke.mutate({ keyId: revoking.id })}
        >
          <p>
            <strong>{revoking.name}</strong> (<code>{revoking.prefix}…</code>) stops working at once
            and its open MCP sessions end.
          </p>
          <p className="muted">This cannot be undone; create a new key if you need access again.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
