'use client';
// Usage overview: calls and errors over time, the busiest keys and apps, the
// busiest tools, where errors come from and the slowest tools. Merchants see
// the selected business; operators may look across every business.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { DataTable, type Column } from '@/components/data-table';
import { PageHeader, QueryState } from '@/components/states';
import { MerchantOnly } from '@/components/app-shell';
import { UsageChart, rangeText, type UsageRange } from '@/components/usage-chart';
import {
  errorCount,
  errorsText,
  lastUsedColumn,
  RangeSwitch,
  ToolUsageTable,
} from '@/components/usage-tables';
import { useBusiness } from '@/lib/business';
import { useCapabilities } from '@/lib/capabilities';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';

type Overview = RouterOutputs['usage']['overview'];
type CredentialRow = Overview['topCredentials'][number];
type ErrorRow = Overview['errors'][number];

/** The credential's own page, when it has one (keys and connected apps). */
function credentialLink(c: { credential: string; label: string }) {
  const [kind, id] = [c.credential.slice(0, c.credential.indexOf(':')), c.credential.split(':')[1]];
  if (kind === 'key' && id) return <Link href={`/keys/${id}`}>{c.label}</Link>;
  if (kind === 'grant' && id) return <Link href={`/connected-apps/${id}`}>{c.label}</Link>;
  return c.label;
}

function credentialColumns<Row extends CredentialRow>(across: boolean): (Column<Row> | false)[] {
  return [
    { header: 'Key or app', cell: (c) => credentialLink(c) },
    across && { header: 'Business', cell: (c) => c.businessName },
    { header: 'Calls', className: 'num', cell: (c) => c.calls },
  ];
}

const TOP_COLUMNS = (across: boolean): (Column<CredentialRow> | false)[] => [
  ...credentialColumns<CredentialRow>(across),
  { header: 'Errors', className: 'num', cell: (c) => errorCount(c) },
  lastUsedColumn<CredentialRow>(),
];

const ERROR_COLUMNS = (across: boolean): (Column<ErrorRow> | false)[] => [
  ...credentialColumns<ErrorRow>(across),
  { header: 'Tool', cell: (e) => <code>{e.tool}</code> },
  { header: 'Errors', cell: (e) => errorsText(e) },
];

export default function UsagePage() {
  return (
    <MerchantOnly action="viewUsage" what="see the usage of its keys and apps">
      <UsageOverview />
    </MerchantOnly>
  );
}

function UsageOverview() {
  const trpc = useTRPC();
  const { business } = useBusiness();
  const seesAll = useCapabilities().canAnywhere('viewAllUsage');
  const [all, setAll] = useState(seesAll);
  const [range, setRange] = useState<UsageRange>('48h');
  const across = seesAll && all;
  const overview = useQuery({
    ...trpc.usage.overview.queryOptions({
      range,
      ...(across ? {} : { businessId: business?.id ?? '' }),
    }),
    enabled: across || Boolean(business),
    refetchInterval: 30_000,
  });
  const where = across ? 'every business' : (business?.name ?? '');
  return (
    <>
      <PageHeader
        title="Usage"
        description={
          <>
            Tool calls of the API keys and connected apps of <strong>{where}</strong>: how many,
            which failed and how, and how long they took.
          </>
        }
        actions={
          seesAll && (
            <label className="checkbox">
              <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> All
              businesses
            </label>
          )
        }
      />
      <div className="section-header">
        <h2>Calls and errors</h2>
        <RangeSwitch range={range} onChange={setRange} />
      </div>
      <QueryState query={overview} loading="Loading usage…" failed="Cannot load the usage.">
        {(data) => (
          <>
            <dl className="usage-totals">
              <div>
                <dt>Calls</dt>
                <dd>{data.totals.calls}</dd>
              </div>
              <div>
                <dt>Refused</dt>
                <dd>{data.totals.refused}</dd>
              </div>
              <div>
                <dt>Bad arguments</dt>
                <dd>{data.totals.badArguments}</dd>
              </div>
              <div>
                <dt>Failed</dt>
                <dd>{data.totals.failed}</dd>
              </div>
            </dl>
            <UsageChart series={data.series} range={data.range} />
            <div className="usage-grid">
              <section aria-labelledby="top-keys">
                <h2 id="top-keys">Top keys and apps</h2>
                <DataTable
                  caption={`Top keys and apps, ${rangeText(data.range)}`}
                  columns={TOP_COLUMNS(across)}
                  rows={data.topCredentials}
                  rowKey={(c) => `${c.businessId}:${c.credential}`}
                  empty={<p className="muted">No calls in this period.</p>}
                />
              </section>
              <section aria-labelledby="top-tools">
                <h2 id="top-tools">Top tools</h2>
                <ToolUsageTable
                  caption={`Top tools, ${rangeText(data.range)}`}
                  tools={data.topTools}
                />
              </section>
              <section aria-labelledby="errors">
                <h2 id="errors">Errors</h2>
                <DataTable
                  caption={`Errors by key and tool, ${rangeText(data.range)}`}
                  columns={ERROR_COLUMNS(across)}
                  rows={data.errors}
                  rowKey={(e) => `${e.businessId}:${e.credential}:${e.tool}`}
                  empty={<p className="muted">No errors in this period.</p>}
                />
              </section>
              <section aria-labelledby="slowest">
                <h2 id="slowest">Slowest tools (p95)</h2>
                <ToolUsageTable
                  caption={`Slowest tools, ${rangeText(data.range)}`}
                  tools={data.slowestTools}
                />
              </section>
            </div>
          </>
        )}
      </QueryState>
    </>
  );
}
