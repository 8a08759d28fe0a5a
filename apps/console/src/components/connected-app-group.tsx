// One connected app (OAuth client) on the Connected apps page: its name, how
// it identified itself and where its answers go (redirect hosts), then the
// grants people gave it that the viewer may see, each revocable.
import { actionsColumn, DataTable, RowButton, type Column } from '@/components/data-table';
import Link from 'next/link';
import { ScopeChips } from '@/components/scopes';
import { formatDate, formatDateTime, formatRelative } from '@/lib/format';
import { policySummary } from '@/lib/tool-policy-text';
import type { RouterOutputs } from '@/lib/trpc';

export type AppGroup = RouterOutputs['oauth']['connectedAppGroups']['items'][number];
export type AppGrant = AppGroup['grants'][number];

const COLUMNS: Column<AppGrant>[] = [
  {
    header: 'Person',
    cell: (a) => (
      <>
        <Link href={`/connected-apps/${encodeURIComponent(a.id)}`}>{a.userEmail}</Link>
        <span className="cell-sub">Tools: {policySummary(a.toolPolicy)}</span>
      </>
    ),
  },
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

const REGISTRATION: Record<AppGroup['registration'], string> = {
  registered: 'Registered client',
  metadata_document: 'Client ID Metadata Document',
  unknown: 'Client',
};

export function ConnectedAppGroup({
  group,
  onRevoke,
}: {
  group: AppGroup;
  onRevoke(grant: AppGrant): void;
}) {
  const headingId = `app-${group.clientId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <section className="panel app-group" aria-labelledby={headingId}>
      <header className="app-group-header">
        <h2 id={headingId}>{group.clientName}</h2>
        <p className="cell-sub">
          {REGISTRATION[group.registration]}
          {group.redirectHosts.length > 0 && (
            <>
              {' · answers go to '}
              <span className="mono">{group.redirectHosts.join(', ')}</span>
            </>
          )}
          {' · '}
          {group.grantCount} {group.grantCount === 1 ? 'connection' : 'connections'}
          {' · last used '}
          {group.lastUsedAt ? formatRelative(group.lastUsedAt) : 'never'}
        </p>
      </header>
      <DataTable
        caption={`Connections of ${group.clientName}`}
        rows={group.grants}
        rowKey={(a) => a.id}
        rowData={(a) => ({ 'data-grant-id': a.id })}
        empty={null}
        columns={[
          ...COLUMNS,
          actionsColumn<AppGrant>((a) => (
            <RowButton
              name={`Revoke ${a.clientName} for ${a.userEmail}`}
              tone="danger"
              onClick={() => onRevoke(a)}
            >
              Revoke
            </RowButton>
          )),
        ]}
      />
    </section>
  );
}
