'use client';
// API keys of the selected business: list, create (secret shown once),
// roll (a new secret; the old one works for a chosen overlap, shown on the
// key's row, and can be expired early), revoke (every secret of the key),
// change scopes.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import { ConfirmAction, useConfirmedAction } from '@/components/confirm-action';
import { actionsColumn, DataTable, RowButton, type Column } from '@/components/data-table';
import { useRevokedKeysFilter } from '@/components/revoked-keys-toggle';
import { ScopeChips } from '@/components/scopes';
import { SecretDialog, type CreatedKey } from '@/components/secret-dialog';
import { keyNameCell, keyToolsCell } from '@/components/key-cells';
import { Empty, ErrorAlert, PageHeader, QueryState, StatusBadge } from '@/components/states';
import { useToast } from '@/components/toasts';
import { useBusiness } from '@/lib/business';
import { formatDate, formatDateTime, formatRelative, roleLabel } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { OVERLAPS, type Overlap } from './overlaps';

type KeyRow = RouterOutputs['keys']['list'][number];

// The key forms bring the schemas (and zod): loaded when one is opened, not with the page.
const CreateKeyDialog = dynamic(() =>
  import('@/components/key-dialogs').then((m) => m.CreateKeyDialog),
);
const EditScopesDialog = dynamic(() =>
  import('@/components/key-dialogs').then((m) => m.EditScopesDialog),
);
const COLUMNS: Column<KeyRow>[] = [
  { header: 'Name', cell: keyNameCell },
  {
    header: 'Key',
    cell: (k) => (
      <>
        <code className="nowrap">{k.prefix}…</code>
        {k.previousSecrets.map((p) => (
          <span key={p.id} className="cell-sub">
            previous secret <code className="nowrap">{p.prefix}…</code> works until{' '}
            {formatDateTime(p.expiresAt)}
          </span>
        ))}
      </>
    ),
  },
  { header: 'Role', cell: (k) => roleLabel(k.role) },
  { header: 'Scopes', cell: (k) => <ScopeChips scopes={k.scopes} /> },
  {
    header: 'Created',
    cell: (k) => (
      <>
        <span className="nowrap">{formatDateTime(k.createdAt)}</span>
        <span className="cell-sub">by {k.createdBy ?? 'unknown'}</span>
      </>
    ),
  },
  { header: 'Expires', cell: (k) => (k.expiresAt ? formatDate(k.expiresAt) : 'Never') },
  {
    header: 'Last used',
    title: (k) => formatDateTime(k.lastUsedAt, 'Never used'),
    cell: (k) => formatRelative(k.lastUsedAt, Date.now(), 'Never'),
  },
  { header: 'Status', cell: (k) => <StatusBadge status={k.status} /> },
  { header: 'Tools', cell: keyToolsCell },
];

function rolledText({ name, status, expiresAt }: KeyRow): string {
  if (status === 'revoked') return `Key “${name}” was rolled: the old secret stopped working.`;
  if (status === 'expired') return `Key “${name}” was rolled: a new key replaces the expired one.`;
  return `Key “${name}” was rolled: the old secret works until ${formatDateTime(expiresAt)}.`;
}

export default function KeysPage() {
  const { business } = useBusiness();
  if (!business) return null;
  return <KeysView key={business.id} businessId={business.id} businessName={business.name} />;
}

function KeysView({ businessId, businessName }: { businessId: string; businessName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const keys = useQuery(trpc.keys.list.queryOptions({ businessId }));
  const keyOptions = useQuery(trpc.keys.keyOptions.queryOptions({ businessId }));
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [editing, setEditing] = useState<KeyRow | null>(null);
  const [overlap, setOverlap] = useState<Overlap>('1d');
  const revokedFilter = useRevokedKeysFilter();

  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey({ businessId }) });
  const revoke = useConfirmedAction(
    trpc.keys.revoke.mutationOptions(),
    (key: KeyRow) => ({ keyId: key.id }),
    async (key) => {
      notify(`Key “${key.name}” was revoked. Clients using it are refused from now on.`);
      await invalidate();
    },
  );
  const expirePrevious = useConfirmedAction(
    trpc.keys.expirePrevious.mutationOptions(),
    (key: KeyRow) => ({ keyId: key.id }),
    async (key) => {
      notify(`The old secret of “${key.name}” stopped working. The new one goes on.`);
      await invalidate();
    },
  );
  const roll = useConfirmedAction(
    trpc.keys.rotate.mutationOptions(),
    (key: KeyRow) => ({ keyId: key.id, overlap }),
    async ({ key, replaced }) => {
      setCreated(key);
      notify(rolledText(replaced));
      await invalidate();
    },
  );

  const manageable = new Set<string>(keyOptions.data?.roles ?? []);
  const actions = actionsColumn<KeyRow>((key) =>
    manageable.has(key.role) && key.can.revoke ? (
      <>
        {key.can.changeScopes && (
          <RowButton name={`Edit scopes of ${key.name}`} onClick={() => setEditing(key)}>
            Edit scopes
          </RowButton>
        )}
        {/* An expired key cannot change: it is rolled into a new one. */}
        {key.can.roll && (
          <RowButton
            name={`Roll ${key.name}`}
            onClick={() => {
              setOverlap('1d');
              roll.ask(key);
            }}
          >
            Roll
          </RowButton>
        )}
        {key.previousSecrets.length > 0 && (
          <RowButton
            name={`Expire the old secret of ${key.name} now`}
            onClick={() => expirePrevious.ask(key)}
          >
            Expire old secret now
          </RowButton>
        )}
        <RowButton name={`Revoke ${key.name}`} tone="danger" onClick={() => revoke.ask(key)}>
          Revoke
        </RowButton>
      </>
    ) : null,
  );

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
            onClick={() => setCreating(true)}
            disabled={!keyOptions.data}
          >
            Create key
          </button>
        }
      />
      {keyOptions.error && (
        <ErrorAlert
          title="Cannot load the key options."
          error={keyOptions.error}
          onRetry={() => void keyOptions.refetch()}
        />
      )}
      {revokedFilter.toggle(keys.data)}
      <QueryState query={keys} loading="Loading keys…" failed="Cannot load the keys.">
        {(rows) => (
          <DataTable
            caption={`API keys of ${businessName}`}
            columns={[...COLUMNS, actions]}
            rows={revokedFilter.visible(rows)}
            rowKey={(k) => k.id}
            empty={
              <Empty title="No API keys yet">
                Create a key to connect an MCP client (Claude, Cursor, the MCP Inspector) to{' '}
                {businessName}.
              </Empty>
            }
          />
        )}
      </QueryState>

      {creating && keyOptions.data && (
        <CreateKeyDialog
          businessId={businessId}
          businessName={businessName}
          options={keyOptions.data}
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            void invalidate();
          }}
        />
      )}
      {created && <SecretDialog created={created} onClose={() => setCreated(null)} />}
      {editing && keyOptions.data && (
        <EditScopesDialog
          apiKey={editing}
          options={keyOptions.data}
          onClose={() => setEditing(null)}
          onSaved={(key) => {
            setEditing(null);
            notify(`Scopes of “${key.name}” updated. Its live sessions got the new tool list.`);
            void invalidate();
          }}
        />
      )}
      <ConfirmAction action={roll} title="Roll this key?" confirmLabel="Roll key">
        {(key) =>
          key.status === 'expired' ? (
            <p>
              <strong>{key.name}</strong> (<code>{key.prefix}…</code>) has expired. A new key with
              the same name, role and scopes, and the same lifetime from now, replaces it; its
              secret is shown once.
            </p>
          ) : (
            <>
              <p>
                <strong>{key.name}</strong> (<code>{key.prefix}…</code>) gets a new secret, shown
                once. Keep the old one working while clients move over:
              </p>
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
              {overlap === 'none' && (
                <p className="muted">The old secret and its open MCP sessions stop at once.</p>
              )}
            </>
          )
        }
      </ConfirmAction>
      <ConfirmAction
        action={expirePrevious}
        title="Expire the old secret now?"
        confirmLabel="Expire old secret"
        danger
      >
        {(key) => (
          <p>
            The previous secret of <strong>{key.name}</strong> (
            {key.previousSecrets.map((p) => `${p.prefix}…`).join(', ')}) stops working at once and
            its open MCP sessions end, instead of at the end of the overlap. The new secret (
            <code>{key.prefix}…</code>) goes on.
          </p>
        )}
      </ConfirmAction>
      <ConfirmAction action={revoke} title="Revoke this key?" confirmLabel="Revoke key" danger>
        {(key) => (
          <>
            <p>
              <strong>{key.name}</strong> (<code>{key.prefix}…</code>) stops working at once and its
              open MCP sessions end.
            </p>
            {key.previousSecrets.length > 0 && (
              <p>
                So does its previous secret (
                {key.previousSecrets.map((p) => `${p.prefix}…`).join(', ')}), still in its overlap:
                revoking a key revokes every secret it has.
              </p>
            )}
            <p className="muted">
              This cannot be undone; create a new key if you need access again.
            </p>
          </>
        )}
      </ConfirmAction>
    </>
  );
}
