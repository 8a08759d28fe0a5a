// The columns a 2025 session and a sessionless client share in the live view.
import Link from 'next/link';
import type { Column } from '@/components/data-table';
import { formatDateTime, formatRelative, roleLabel } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';

type Live =
  | RouterOutputs['sessions']['list']['items'][number]
  | RouterOutputs['sessions']['clients']['items'][number];

/** Principal, role, active business, client and protocol revision. */
export function whoColumns<Row extends Live>(businessName: (id: string) => string): Column<Row>[] {
  return [
    {
      header: 'Principal',
      // An API key by the name a merchant gave it; its prefix beneath, to match logs.
      cell: (row) => (
        <>
          {row.principal.label}
          {row.principal.keyPrefix && (
            <span className="cell-sub mono">{row.principal.keyPrefix}</span>
          )}
        </>
      ),
    },
    { header: 'Role', cell: (row) => roleLabel(row.principal.role) },
    {
      header: 'Active business',
      label: 'Business',
      cell: (row) => businessName(row.activeBusinessId),
    },
    {
      header: 'Client',
      cell: (row) => (
        <>
          {row.client.name}
          {row.client.version && <span className="cell-sub">{row.client.version}</span>}
        </>
      ),
    },
    {
      header: 'Protocol',
      cell: (row) => <code className="nowrap">{row.protocolVersion}</code>,
    },
  ];
}

/** Last activity (`header` names it), auth kind and the instance that served it last. */
export function activityColumns<Row extends Live>(header: string): Column<Row>[] {
  return [
    {
      header,
      label: 'Last activity',
      className: 'nowrap',
      title: (row) => formatDateTime(row.lastSeenAt),
      cell: (row) => formatRelative(row.lastSeenAt),
    },
    { header: 'Auth', className: 'nowrap', cell: (row) => row.authKind },
    { header: 'Instance', cell: (row) => <code className="small">{row.instanceId}</code> },
  ];
}

/** The inspector's link for a session (`session`) or a sessionless client (`client`). */
export function InspectLink(props: { kind: 'session' | 'client'; id: string; name: string }) {
  return (
    <Link
      className="button button-small"
      aria-label={props.name}
      href={`/sessions/inspect?${props.kind}=${encodeURIComponent(props.id)}`}
    >
      Inspect
    </Link>
  );
}
