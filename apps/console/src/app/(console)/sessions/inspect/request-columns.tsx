// The inspector table's columns: one row per MCP request.
import type { Column } from '@/components/data-table';
import { formatDateTime, formatTime } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';

type RequestRow = RouterOutputs['sessions']['requests']['items'][number];

function outcomeLabel(r: RequestRow): string {
  if (r.outcome === 'ok') return 'ok';
  if (r.outcome === 'tool_error') return 'tool error';
  return r.errorCode === undefined ? 'error' : `error ${r.errorCode}`;
}

export function requestColumns(): Column<RequestRow>[] {
  return [
    {
      header: 'Time',
      className: 'nowrap',
      title: (r) => formatDateTime(r.at),
      cell: (r) => formatTime(r.at),
    },
    { header: 'Method', cell: (r) => <code>{r.method}</code> },
    { header: 'Tool', cell: (r) => (r.tool ? <code>{r.tool}</code> : '—') },
    {
      header: 'Outcome',
      cell: (r) => (
        <span className={`badge badge-${r.outcome === 'ok' ? 'success' : 'failure'}`}>
          {outcomeLabel(r)}
        </span>
      ),
    },
    {
      header: 'Duration',
      className: 'nowrap',
      cell: (r) => `${r.durationMs < 10 ? r.durationMs.toFixed(1) : Math.round(r.durationMs)} ms`,
    },
    { header: 'Instance', cell: (r) => <code className="small">{r.instanceId}</code> },
    {
      header: 'Arguments',
      cell: (r) =>
        r.arguments.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <span className="arguments">
            {r.arguments.map((a, i) => (
              <code key={`${i}-${a.name}`} className="small">
                {a.value === undefined ? a.name : `${a.name}=${a.value}`}
              </code>
            ))}
          </span>
        ),
    },
  ];
}
