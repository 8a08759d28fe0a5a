// The cells a 2025 session and a sessionless client share in the live view.
import { formatDateTime, formatRelative, roleLabel } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';

type Live =
  | RouterOutputs['sessions']['list']['items'][number]
  | RouterOutputs['sessions']['clients']['items'][number];

/** Principal, role, active business, client and protocol revision. */
export function WhoCells({
  row,
  businessName,
}: {
  row: Live;
  businessName: (id: string) => string;
}) {
  return (
    <>
      <td data-label="Principal">
        <span className={row.principal.kind === 'api_key' ? 'mono' : undefined}>
          {row.principal.label}
        </span>
      </td>
      <td data-label="Role">{roleLabel(row.principal.role)}</td>
      <td data-label="Business">{businessName(row.activeBusinessId)}</td>
      <td data-label="Client">
        {row.client.name}
        {row.client.version && <span className="cell-sub">{row.client.version}</span>}
      </td>
      <td data-label="Protocol">
        <code className="nowrap">{row.protocolVersion}</code>
      </td>
    </>
  );
}

/** Last activity, auth kind and the instance that served it last. */
export function ActivityCells({ row }: { row: Live }) {
  return (
    <>
      <td data-label="Last activity" className="nowrap" title={formatDateTime(row.lastSeenAt)}>
        {formatRelative(row.lastSeenAt)}
      </td>
      <td data-label="Auth" className="nowrap">
        {row.authKind}
      </td>
      <td data-label="Instance">
        <code className="small">{row.instanceId}</code>
      </td>
    </>
  );
}
