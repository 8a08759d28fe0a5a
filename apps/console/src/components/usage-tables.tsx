'use client';
// Usage tables shared by the key, connected app and overview pages: per tool
// (calls, errors by kind, p50/p95, last use) and the range switch.
import { DataTable, type Column } from './data-table';
import { formatDateTime, formatRelative } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';
import type { UsageRange } from './usage-chart';

export type ToolRow = RouterOutputs['usage']['overview']['topTools'][number];

export const formatMs = (ms: number | null) =>
  ms === null ? '—' : ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;

export const errorCount = (c: { refused: number; badArguments: number; failed: number }) =>
  c.refused + c.badArguments + c.failed;

export const errorsText = (c: { refused: number; badArguments: number; failed: number }) =>
  errorCount(c) === 0
    ? '0'
    : `${errorCount(c)} (${c.refused} refused, ${c.badArguments} bad arguments, ${c.failed} failed)`;

export const lastUsedColumn = <Row extends { lastUsedAt: Date }>(): Column<Row> => ({
  header: 'Last use',
  className: 'nowrap',
  title: (r) => formatDateTime(r.lastUsedAt),
  cell: (r) => formatRelative(r.lastUsedAt),
});

const TOOL_COLUMNS: Column<ToolRow>[] = [
  { header: 'Tool', cell: (t) => <code>{t.tool}</code> },
  { header: 'Calls', className: 'num', cell: (t) => t.calls },
  { header: 'Errors', cell: (t) => errorsText(t) },
  { header: 'p50', className: 'num nowrap', cell: (t) => formatMs(t.p50Ms) },
  { header: 'p95', className: 'num nowrap', cell: (t) => formatMs(t.p95Ms) },
  lastUsedColumn<ToolRow>(),
];

export function ToolUsageTable({ caption, tools }: { caption: string; tools: ToolRow[] }) {
  return (
    <DataTable
      caption={caption}
      columns={TOOL_COLUMNS}
      rows={tools}
      rowKey={(t) => t.tool}
      empty={<p className="muted">No tool calls in this period.</p>}
    />
  );
}

export function RangeSwitch({
  range,
  onChange,
}: {
  range: UsageRange;
  onChange(range: UsageRange): void;
}) {
  const choices: { value: UsageRange; label: string }[] = [
    { value: '48h', label: '48 hours' },
    { value: '90d', label: '90 days' },
  ];
  return (
    <div className="range-switch" role="group" aria-label="Period">
      {choices.map((c) => (
        <button
          key={c.value}
          type="button"
          className="button button-small"
          aria-pressed={range === c.value}
          onClick={() => onChange(c.value)}
        >
          {c.label}
        </button>
      ))}
    </div>
  );
}
